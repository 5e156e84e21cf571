// The example experiments in conf/ must stay valid for this area's kinds: dataset, [[preprocessing]] and
// [[data_augmentation]] params parse without errors, and the data they describe can be prepared.
import { describe, expect, it } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { parse } from 'smol-toml';
import type { Issue } from '../../src/core/base/schema';
import { datasetKinds } from '../../src/core/data/registry';
import { preprocessingKinds } from '../../src/core/preprocessing/registry';
import { prepareAugmentations } from '../../src/core/augmentation/pipeline';
import { preprocessData } from '../../src/core/pipeline/prepare-data';
import { openDatasetSource } from '../../src/core/pipeline/open-dataset.node';
import { loadExperimentFile } from '../../src/core/config/load-file.node';
import { modelKinds } from '../../src/core/models/registry';
import { augmentedShape } from '../../src/core/augmentation/pipeline';

interface Section { kind: string; params?: Record<string, unknown> }
const CONFS = ['conf/digits/cnn_int8.toml', 'conf/fashionmnist/cnn_int8.toml', 'conf/uci-har/resnetv1_8_int8.toml'];

function read(path: string) {
  return parse(readFileSync(path, 'utf8')) as unknown as { bench: { seed: number }; dataset: Section; preprocessing?: Section[]; data_augmentation?: Section[] };
}

describe('conf/ examples', () => {
  for (const path of CONFS) {
    it(`${path}: data sections parse with Mote's schemas`, () => {
      const conf = read(path);
      const issues: Issue[] = [];
      const kind = (datasetKinds as Record<string, { params: { parse(i: unknown, p: string, x: Issue[]): unknown } }>)[conf.dataset.kind];
      expect(kind, conf.dataset.kind).toBeDefined();
      kind.params.parse(conf.dataset.params ?? {}, 'dataset.params', issues);
      (conf.preprocessing ?? []).forEach((step, i) => {
        const k = (preprocessingKinds as Record<string, { params: { parse(i: unknown, p: string, x: Issue[]): unknown } }>)[step.kind];
        expect(k, step.kind).toBeDefined();
        k.params.parse(step.params ?? {}, `preprocessing[${i}].params`, issues);
      });
      prepareAugmentations(conf.data_augmentation ?? []);
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    });
  }

  const inputs: Record<string, { shape: number[]; classes: number }> = {
    'conf/digits/cnn_int8.toml': { shape: [8, 8, 1], classes: 10 },
    'conf/fashionmnist/cnn_int8.toml': { shape: [28, 28, 1], classes: 10 },
    'conf/uci-har/resnetv1_8_int8.toml': { shape: [128, 9], classes: 6 },
  };
  for (const path of CONFS) {
    it(`${path}: loads without errors and its model builds for the data's shape`, () => {
      const result = loadExperimentFile(path);
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const experiment = result.experiment!;
      const { shape, classes } = inputs[path];
      const input = augmentedShape(shape, classes, prepareAugmentations(experiment.data_augmentation ?? []));
      for (const model of experiment.model.filter((m) => !m.disabled)) {
        const kind = (modelKinds as Record<string, { params: { parse(i: unknown, p: string, x: Issue[]): unknown }; build(p: unknown, s: number[], c: number, n: string): { layers: unknown[] } }>)[model.kind];
        const issues: Issue[] = [];
        const params = kind.params.parse(model.params, 'model.params', issues);
        expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(kind.build(params, input, classes, model.name).layers.length).toBeGreaterThan(3);
      }
    });
  }

  it('the default experiment (Digits) prepares with no file: min-max to [0, 1], one-hot', async () => {
    const conf = read('conf/digits/cnn_int8.toml');
    const source = await openDatasetSource(conf.dataset);
    expect(source).toBeUndefined();
    const bundle = await preprocessData({ ...conf, seed: conf.bench.seed }, source);
    expect(bundle.oneHot).toBe(true);
    expect(Math.max(...bundle.train.x)).toBe(1);
    expect(Math.min(...bundle.train.x)).toBe(0);
  });

  const fashion = '/usr/share/datasets/fashion-mnist';
  it.runIf(existsSync(fashion) || process.env.CI)('the Fashion-MNIST experiment prepares 54 000 / 6 000 / 10 000 samples scaled to [0, 1]', async () => {
    const conf = read('conf/fashionmnist/cnn_int8.toml');
    const bundle = await preprocessData({ ...conf, seed: conf.bench.seed }, await openDatasetSource(conf.dataset));
    expect([bundle.train.count, bundle.valid?.count, bundle.test.count]).toEqual([54000, 6000, 10000]);
    let max = 0;
    for (const v of bundle.train.x) if (v > max) max = v;
    expect(max).toBe(1);
    // a pixel of 255 in the file is exactly 1, one of 51 is 0.2: x / 255
    const raw = await preprocessData({ dataset: conf.dataset }, await openDatasetSource(conf.dataset));
    const i = raw.test.x.findIndex((v) => v === 51);
    expect(bundle.test.x[i]).toBeCloseTo(0.2, 6);
  });
});
