// Golden samples on disk for this area (tests/samples/data/<case>/_expected/): what the CLI prints after
// preprocess_data for the default experiment, and the embedded digits file against its source.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'smol-toml';
import { formatSummary, preprocessData, summarizeBundle } from '../../src/core/pipeline/prepare-data';

const SAMPLES = 'tests/samples/data';

describe('golden samples', () => {
  it('the default experiment (conf/digits/cnn_int8.toml) summary matches digits-summary/_expected/summary.txt', async () => {
    const conf = parse(readFileSync('conf/digits/cnn_int8.toml', 'utf8')) as any;
    const bundle = await preprocessData({ dataset: conf.dataset, preprocessing: conf.preprocessing, seed: conf.bench.seed }, undefined);
    const actual = formatSummary(summarizeBundle(bundle)) + '\n';
    const expectedPath = `${SAMPLES}/digits-summary/_expected/summary.txt`;
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedPath, actual);
    expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
  });

  const sklearn = '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz';
  if (!existsSync(sklearn) && !process.env.CI) console.warn(`skipping the embedded-digits provenance check: ${sklearn} is missing (run scripts/install-system-packages.sh)`);
  it.runIf(existsSync(sklearn) || process.env.CI)('the embedded digits.csv.gz is byte-identical to scikit-learn\'s', () => {
    expect(Buffer.compare(readFileSync('src/core/data/embedded/digits.csv.gz'), readFileSync(sklearn))).toBe(0);
  });
});
