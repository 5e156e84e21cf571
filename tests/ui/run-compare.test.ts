// The Experiments view's comparison: figures by name and unit, the settings that tell runs apart, chart points.
import { expect, test } from 'vitest';
import type { RunRecord } from '../../src/core/experiments/store';
import { accuracyAgainst, differingSettings, formatMetric, metricInfo, metricKeys, settingsOf, shortSetting } from '../../src/ui/state/run-compare';

const run = (id: string, metrics: Record<string, number | null>, toml = '') => ({ id, metrics, toml, label: `Run ${id}` }) as unknown as RunRecord & { label: string };

test('figures have names and units, in reading order', () => {
  expect(metricInfo('arena_bytes').name).toBe('Working memory (RAM)');
  expect(formatMetric('arena_bytes', 640)).toBe('640 B');
  expect(formatMetric('weight_bytes', 2048)).toMatch(/^2\.0 KiB$/);
  expect(formatMetric('test_acc', 0.9718)).toBe('97.2 %');
  expect(metricInfo('test_avgclsacc').name).toBe('Mean per-class accuracy (float model, test set)');
  expect(formatMetric('test_f1', 0.95123)).toBe('0.951');
  expect(formatMetric('macs', 23680)).toBe('23,680');
  expect(formatMetric('train_seconds', 4.12)).toBe('4.1 s');
  expect(formatMetric('target_acc', null)).toBe('—');
  expect(formatMetric('something_new', 0.123456)).toBe('0.1235');
  expect(metricKeys([run('a', { train_seconds: 1, macs: 2, test_acc: 0.9, target_acc: 0.9, arena_bytes: 1 })])).toEqual(['target_acc', 'test_acc', 'arena_bytes', 'macs', 'train_seconds']);
});

test('the settings that differ between runs tell same-named runs apart', () => {
  const a = '[bench]\nname = "x"\n[model_template]\nepochs = 20\n[[model]]\nname = "m"\nparams.filters = [8, 16]\n';
  const b = a.replace('epochs = 20', 'epochs = 5').replace('[8, 16]', '[4, 8]');
  expect(settingsOf(a)?.get('model[0].params.filters')).toBe('[8,16]');
  const differences = differingSettings([run('a', {}, a), run('b', {}, b), run('c', {}, a)]);
  expect(differences).toEqual([
    { path: 'model_template.epochs', values: ['20', '5', '20'] },
    { path: 'model[0].params.filters', values: ['[8,16]', '[4,8]', '[8,16]'] },
  ]);
  expect(shortSetting('model[0].params.filters', '[4,8]')).toBe('filters [4,8]');
  expect(shortSetting('model_template.epochs', undefined)).toBe('epochs not set');
  expect(differingSettings([run('a', {}, a), run('b', {}, 'not = = toml')])).toEqual([]);
});

test('chart points: board accuracy where measured, else the float model, against the chosen size, smallest first', () => {
  const points = accuracyAgainst('weight_bytes', [run('a', { target_acc: 0.95, test_acc: 0.97, weight_bytes: 2000 }), run('b', { test_acc: 0.9, weight_bytes: 900 }), run('c', { test_acc: 0.9 })]);
  expect(points).toEqual([
    { runId: 'b', label: 'Run b', x: 900, y: 0.9, onBoard: false },
    { runId: 'a', label: 'Run a', x: 2000, y: 0.95, onBoard: true },
  ]);
});
