// Accuracy goal on real data: Mote's default experiment (conf/digits/cnn_int8.toml: CNN [8, 16] k3 p1 bn
// pool 2, Adam lr 0.002, 20 epochs, batch 32) reaches ≥ 0.95 float test accuracy on the built-in digits.
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/core/base/schema';
import { Digits } from '../../src/core/data/kinds/digits';
import { modelKinds } from '../../src/core/models/registry';
import { createRng } from '../../src/core/base/rng';
import { trainModel } from '../../src/core/training/train';

describe('digits (built-in data set)', () => {
  it('the default CNN reaches ≥ 0.95 test accuracy on wasm', async () => {
    const bundle = await Digits.load({}, undefined);
    // The config's Normalize min-max over the whole tensor maps 0..16 to 0..1.
    const scale = (x: Float32Array | Uint8Array) => Float32Array.from(x, (v) => v / 16);
    const issues: Issue[] = [];
    const params = modelKinds.CNN.params.parse({
      dims: 2, batch_norm: true, filters: [8, 16], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], pool_sizes: [2, 2], dropouts: [0, 0], fc_units: [],
    }, 'model[0].params', issues);
    expect(issues).toEqual([]);
    const graph = modelKinds.CNN.build(params, bundle.train.shape, bundle.classNames.length, 'digits_cnn', { rng: createRng(2) });
    const result = await trainModel({
      graph,
      data: { train: { ...bundle.train, x: scale(bundle.train.x) }, test: { ...bundle.test, x: scale(bundle.test.x) } },
      epochs: 20, batchSize: 32, seed: 2, optimizer: { kind: 'Adam', params: { lr: 0.002 } }, backend: { order: ['wasm'] },
    });
    expect(result.metrics.test!.count).toBe(355);
    expect(result.metrics.test!.metrics.acc).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
