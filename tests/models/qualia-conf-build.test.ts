// Every enabled MLP/CNN/ResNet/ResNetStride [[model]] of the real Qualia configs whose dataset shape is known
// builds into a consistent ModelGraph (Qualia's own flattened-size / global-pool formulas agree with shape
// inference), and the UCI-HAR ResNetv1-8 of qualia-core's tests has its asserted 1150 parameters.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadExperimentFile } from '../../src/core/config/load-file.node';
import { modelKinds } from '../../src/core/models/registry';
import { countParameters } from '../../src/core/models/shapes';

const confDir = resolve(__dirname, '../../../shared/qualia-conf');
const present = existsSync(join(confDir, 'INDEX.tsv'));

/** Input shape (channels_last) and classes of the datasets whose configs are checked. */
const datasets: Record<string, { shape: number[]; classes: number }> = {
  UCI_HAR: { shape: [128, 9], classes: 6 },
  CIFAR10: { shape: [32, 32, 3], classes: 10 },
  CIFAR100: { shape: [32, 32, 3], classes: 100 },
  FashionMNIST: { shape: [28, 28, 1], classes: 10 },
};

function cases(): [string, string][] {
  if (!present) return [];
  const lines = readFileSync(join(confDir, 'INDEX.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '').slice(1);
  return lines.map((l) => l.split('\t')).filter((c) => c[1] in datasets && c[6] === 'valid' && /\b(MLP|CNN|ResNet|ResNetStride)\b/.test(c[3])).map((c) => [c[0], c[1]]);
}

describe.skipIf(!present && !process.env.CI)('models of the real Qualia configs build', () => {
  test.each(cases())('%s (%s)', (path, dataset) => {
    const result = loadExperimentFile(path, [], { cwd: confDir });
    const experiment = result.experiment!;
    expect(experiment).toBeDefined();
    const { shape, classes } = datasets[dataset];
    for (const model of experiment.model.filter((m) => !m.disabled)) {
      const kind = (modelKinds as Record<string, (typeof modelKinds)[keyof typeof modelKinds]>)[model.kind];
      if (!kind) continue;
      const { input_shape, output_shape, quant_params: _quant, ...params } = model.params as Record<string, any>;
      const parsed = kind.params.parse(params, 'params', []);
      const graph = (kind.build as (p: unknown, s: number[], c: number, n: string) => ReturnType<typeof kind.build>)(parsed, input_shape ?? shape, output_shape?.[0] ?? classes, model.name);
      expect(graph.shapes[graph.layers.at(-1)!.name]).toEqual([output_shape?.[0] ?? classes]);
      if (model.name === 'uci-har_resnetv1_8') expect(countParameters(graph)).toBe(1150);
    }
  });
});
