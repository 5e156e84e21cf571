// Qualia's own UCI-HAR ResNetv1 test configs for the Linux target run through the real CLI on a small
// fixture in the original UCI HAR layout (the real archive cannot be redistributed): preprocess, train one
// epoch (the configs load Qualia-trained .pth weights, which Mote cannot read, so load/train are overridden),
// post-process (QAT FX, Torch2Keras, RemoveKerasSoftmax), generate C, build it with cc and check it against
// the TypeScript reference.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BenchResults } from '../../src/core/experiments/results';
import { uciHarFiles } from '../data/fixtures';

const root = resolve(__dirname, '../..');
const confDir = resolve(root, '../shared/qualia-conf/qualia-core/conf/tests');
const configs = [
  ['UCI-HAR_ResNetv1_QualiaCodeGen_Linux_float32.toml', 'float32'],
  ['UCI-HAR_ResNetv1_QualiaCodeGen_Linux_int16.toml', 'int16'],
  ['UCI-HAR_ResNetv1_QualiaCodeGen_Linux_int8_directpytorch.toml', 'int8'],
] as const;
let workdir: string;

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'mote-uci-har-'));
  for (const [path, bytes] of Object.entries(uciHarFiles({ train: 60, test: 30 }))) {
    const target = join(workdir, 'fixture', path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe.runIf(existsSync(confDir) || process.env.CI)("Qualia's UCI-HAR ResNetv1 Linux configs through the CLI", () => {
  test.each(configs)('%s → %s C that compiles and matches the reference', (file, quantize) => {
    const bench = `uci_${quantize}`;
    const r = spawnSync(process.execPath, [
      join(root, 'bin/mote.js'), join(confDir, file), 'preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate',
      `--dataset.params.path=${join(workdir, 'fixture/UCI HAR Dataset')}`, `--bench.name=${bench}`,
      '--model_template.load=false', '--model_template.train=true', '--model_template.epochs=1',
    ], { cwd: workdir, encoding: 'utf8', timeout: 600_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const results: BenchResults = JSON.parse(readFileSync(join(workdir, `logs/${bench}/results.json`), 'utf8'));
    const row = results.runs[0].deploy[0];
    expect(row).toMatchObject({ target: 'Linux', quantize, n: 30 });
    expect(row.rom_bytes).toBeGreaterThan(0);
    if (quantize === 'float32') {
      expect(row.agreement).toBe(1);
      expect(row.max_rel_diff).toBeLessThan(1e-5);
    } else {
      expect(row.bit_exact).toBe(true);
    }
    expect(readFileSync(join(workdir, 'out/qualia_codegen', `${results.runs[0].model}_r1_q${quantize}`, 'model.h'), 'utf8')).toContain('#define MOTE_MODEL_ABI_VERSION 1');
  }, 600_000);
});
