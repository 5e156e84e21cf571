import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { isReplacingExperiment, pastedExperimentName } from '../../src/ui/editor/pasted-experiment';

const DEFAULT = readFileSync('conf/digits/cnn_int8.toml', 'utf8');

test('the bench name of a pasted experiment, in the forms Qualia configs use', () => {
  expect(pastedExperimentName(DEFAULT)).toBe('Digits_CNN_int8');
  expect(pastedExperimentName('[bench]\nseed = 2\nname = \'single\'  # comment\n[dataset]\nname = "not this"\n')).toBe('single');
  expect(pastedExperimentName('bench.name = "dotted"\n')).toBe('dotted');
  expect(pastedExperimentName('[ bench ] # the bench\nname="spaced"\n')).toBe('spaced');
});

test('text that is not a whole experiment has no name', () => {
  expect(pastedExperimentName('[[model]]\nname = "m"\n')).toBeUndefined();
  expect(pastedExperimentName('[bench]\nseed = 2\n[dataset]\nname = "x"\n')).toBeUndefined();
  expect(pastedExperimentName('epoch 3 loss=0.2\n')).toBeUndefined();
  expect(pastedExperimentName('[bench]\nname = ""\n')).toBeUndefined();
});

test('asked only when another experiment replaces the whole open text', () => {
  const other = DEFAULT.replace('Digits_CNN_int8', 'Other');
  const whole = { text: other, from: 0, to: 100, docLength: 100 };
  expect(isReplacingExperiment(whole, 'Digits_CNN_int8')).toBe('Other');
  expect(isReplacingExperiment(whole, 'Other')).toBeUndefined(); // a newer version of the same one
  expect(isReplacingExperiment({ ...whole, from: 10 }, 'Digits_CNN_int8')).toBeUndefined(); // part of the text
  expect(isReplacingExperiment({ ...whole, to: 99 }, 'Digits_CNN_int8')).toBeUndefined();
  expect(isReplacingExperiment({ ...whole, to: 0, docLength: 0 }, 'Digits_CNN_int8')).toBeUndefined(); // nothing to lose
  expect(isReplacingExperiment({ ...whole, text: 'x = 1\n' }, 'Digits_CNN_int8')).toBeUndefined();
});

test('the name at the top of a 400 KB paste is found', () => {
  const big = `${DEFAULT.replace('Digits_CNN_int8', 'Big')}${'# padding line with some words in it\n'.repeat(11_000)}`;
  expect(big.length).toBeGreaterThan(400_000);
  expect(pastedExperimentName(big)).toBe('Big');
});
