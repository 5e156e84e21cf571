// The editor's checks as the lint worker runs them: syntax first with smol-toml's position, then the schema.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { lintText } from '../../src/ui/editor/lint-text';

const DEFAULT = readFileSync('conf/digits/cnn_int8.toml', 'utf8');

test('the default experiment has no problems, a validated experiment and its bench name', () => {
  const result = lintText(DEFAULT, 'cnn_int8.toml');
  expect(result.diagnostics).toEqual([]);
  expect(result.experiment?.bench.name).toBe('Digits_CNN_int8');
  expect(result.name).toBe('Digits_CNN_int8');
});

test('a TOML syntax error is one diagnostic at its line, named as such', () => {
  const result = lintText(`${DEFAULT}broken = = 3\n`, 'x.toml');
  expect(result.diagnostics).toHaveLength(1);
  expect(result.diagnostics[0]).toMatchObject({ file: 'x.toml', line: DEFAULT.split('\n').length, severity: 'error' });
  expect(result.diagnostics[0].message).toMatch(/^TOML syntax: /);
  expect(result.experiment).toBeUndefined();
});

test('a schema mistake keeps the name and points at the key path', () => {
  const result = lintText(DEFAULT.replace('params.filters ', 'params.filter '), 'x.toml');
  expect(result.name).toBe('Digits_CNN_int8');
  expect(result.diagnostics.some((d) => d.severity === 'error' && /filter/.test(d.path + d.message))).toBe(true);
  expect(result.experiment).toBeUndefined();
});

test('the result crosses a worker boundary intact (structured clone)', () => {
  const result = lintText(DEFAULT, 'cnn_int8.toml');
  expect(structuredClone(result)).toEqual(result);
});

test('the editor\'s checks leave the validated experiment out (only problems and name cross to the page)', () => {
  const result = lintText(DEFAULT, 'cnn_int8.toml', false);
  expect(result.diagnostics).toEqual([]);
  expect(result.name).toBe('Digits_CNN_int8');
  expect(result).not.toHaveProperty('experiment');
});
