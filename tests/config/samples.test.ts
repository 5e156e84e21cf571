// Golden samples: tests/samples/config/<case>/input.toml → expected.txt (formatted diagnostics, one per line)
// and, where present, expected.json (the merged [[model]] list). Optional overrides.txt holds one
// command-line override per line; includes resolve inside the case folder (search paths, then conf/).
// UPDATE_SAMPLES=1 rewrites the expected files (review the diff before committing).

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, loadExperiment } from '../../src/core/config/load';
import { testCatalog } from './test-catalog';

// Ordinary cases, and hostile ones (attacks tried on the loader: each must end in a clear diagnostic).
const roots = [resolve(__dirname, '../samples/config'), resolve(__dirname, '../samples/hostile/config')];
const update = process.env.UPDATE_SAMPLES === '1';
const cases = roots.flatMap((root) => readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => join(root, d.name))).sort();

describe('config samples', () => {
  test('there are samples', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  test.each(cases.map((dir) => [dir.slice(resolve(__dirname, '../samples').length + 1), dir]))('%s', (name, dir) => {
    const read = (file: string) => readFileSync(join(dir, file), 'utf8');
    const overrides = existsSync(join(dir, 'overrides.txt')) ? read('overrides.txt').split('\n').filter((line) => line.trim() !== '') : [];
    const result = loadExperiment(read('input.toml'), {
      file: 'input.toml',
      overrides,
      // Hostile cases meet the real kinds (their attacks go through the real converter and target schemas).
      catalog: dir.includes('/hostile/') ? undefined : testCatalog,
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
    if (existsSync(join(dir, 'expected.json')) || (update && basename(dir).startsWith('merge'))) {
      const models = JSON.stringify(result.experiment?.model ?? null, null, 2) + '\n';
      if (update) writeFileSync(join(dir, 'expected.json'), models);
      expect(models).toBe(read('expected.json'));
    }
  });
});
