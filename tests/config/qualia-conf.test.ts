// Every real Qualia config in ../shared/qualia-conf, loaded with the REAL catalog (the kinds the areas have
// registered so far), judged against INDEX.tsv's verdict:
//   valid      → no errors (warnings such as "not supported yet" are fine);
//   auxiliary  → the "not an experiment" error;
//   STALE …    → the stale key is named in a warning or an error.
// When this fails after adding a kind, the message lists the file and every diagnostic: usually the kind's
// params schema is stricter than Qualia's constructor (a default missing, an accepted value left out).

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic } from '../../src/core/config/load';
import { loadExperimentFile } from '../../src/core/config/load-file.node';

const confDir = resolve(__dirname, '../../../shared/qualia-conf');
const present = existsSync(join(confDir, 'INDEX.tsv'));
if (!present && !process.env.CI) console.log(`skipping the Qualia config checks: ${confDir} is absent`);

interface Row { path: string; status: string }

function rows(): Row[] {
  const lines = readFileSync(join(confDir, 'INDEX.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = lines[0].split('\t');
  const pathAt = header.indexOf('path');
  const statusAt = header.indexOf('status');
  return lines.slice(1).map((line) => { const cells = line.split('\t'); return { path: cells[pathAt], status: cells[statusAt] }; });
}

/** The stale key an INDEX.tsv status names: "… params.model.params.quantize_linear not accepted …" → that key. */
function staleKey(status: string): string {
  const named = /(params\.[\w.]+)/.exec(status) ?? /unknown param (\w+)/.exec(status);
  if (!named) throw new Error(`INDEX.tsv status names no stale key: ${status}`);
  return named[1].startsWith('params.') ? named[1] : `params.${named[1]}`;
}

describe.skipIf(!present && !process.env.CI)('real Qualia configs (../shared/qualia-conf)', () => {
  const all = present ? rows() : [];

  test('INDEX.tsv lists the configs', () => {
    expect(all.length).toBeGreaterThan(50);
  });

  test.each(all.map((r) => [r.path, r.status] as const))('%s (%s)', (path, status) => {
    const result = loadExperimentFile(path, [], { cwd: confDir });
    const listing = `${path}\n${result.diagnostics.map((d) => `  ${formatDiagnostic(d)}`).join('\n') || '  (no diagnostics)'}`;
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    if (status === 'valid') {
      expect(errors, `Qualia accepts this config, Mote reports errors:\n${listing}`).toEqual([]);
      expect(result.experiment, listing).toBeDefined();
    } else if (status.startsWith('auxiliary')) {
      expect(errors.map((d) => d.message.split(':')[0]), listing).toEqual(['not an experiment']);
    } else {
      const key = staleKey(status);
      const named = result.diagnostics.some((d) => d.path.endsWith(key) || d.message.includes(`'${key}'`));
      expect(named, `INDEX.tsv says '${key}' is stale here; no diagnostic names it:\n${listing}`).toBe(true);
    }
  });
});
