// Golden samples: tests/samples/config/<case>/input.toml → expected.txt (formatted diagnostics, one per line)
// and, where present, expected.json (the merged [[model]] list). Optional overrides.txt holds one
// command-line override per line; includes resolve inside the case folder (search paths, then conf/).
// UPDATE_SAMPLES=1 rewrites the expected files (review the diff before committing).

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, loadExperiment } from '../../src/core/config/load';
import { testCatalog } from './test-catalog';

const root = resolve(__dirname, '../samples/config');
const update = process.env.UPDATE_SAMPLES === '1';
const cases = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();

describe('config samples', () => {
  test('there are samples', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  test.each(cases)('%s', (name) => {
    const dir = join(root, name);
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    const overrides = existsSync(join(dir, 'overrides.txt')) ? read('overrides.txt').split('\n').filter((line) => line.trim() !== '') : [];
    const result = loadExperiment(read('input.toml'), {
      file: 'input.toml',
      overrides,
      catalog: testCatalog,
      resolveInclude: (include, _from, searchPaths) => {
        for (const folder of [...searchPaths, 'conf']) {
          const path = join(dir, folder, include);
          if (existsSync(path)) return { file: `${folder}/${include}`, text: readFileSync(path, 'utf8') };
        }
        return undefined;
      },
    });
    const text = result.diagnostics.map(formatDiagnostic).join('\n') + (result.diagnostics.length ? '\n' : '');
    const hasErrors = result.diagnostics.some((d) => d.severity === 'error');
    expect(result.experiment === undefined).toBe(hasErrors);
    if (update) writeFileSync(join(dir, 'expected.txt'), text);
    expect(text).toBe(read('expected.txt'));
    if (existsSync(join(dir, 'expected.json')) || (update && name.startsWith('merge'))) {
      const models = JSON.stringify(result.experiment?.model ?? null, null, 2) + '\n';
      if (update) writeFileSync(join(dir, 'expected.json'), models);
      expect(models).toBe(read('expected.json'));
    }
  });
});
