// A small separable problem and a CNN with batch norm and dropout, shared by the training tests.
import { expect } from 'vitest';
import { modelKinds } from '../../src/core/models/registry';
import { createRng } from '../../src/core/base/rng';
import type { TrainingSet } from '../../src/core/training/train';

/** Class 0: a rising ramp in channel 0; class 1: in channel 1; class 2: a bump in the middle; plus noise. */
export function synthetic(count: number, seed: number): TrainingSet {
  const rng = createRng(seed);
  const steps = 16;
  const x = new Float32Array(count * steps * 2);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 3;
    labels[n] = label;
    for (let t = 0; t < steps; t++) {
      const ramp = t / steps;
      const bump = Math.exp(-((t - 8) ** 2) / 4);
      const signal0 = label === 0 ? ramp : label === 2 ? bump : 0;
      const signal1 = label === 1 ? ramp : label === 2 ? bump : 0;
      x[(n * steps + t) * 2] = signal0 + 0.2 * rng.normal();
      x[(n * steps + t) * 2 + 1] = signal1 + 0.2 * rng.normal();
    }
  }
  return { x, shape: [steps, 2], labels };
}

export function buildCnn(seed = 1) {
  const issues: never[] = [];
  const params = modelKinds.CNN.params.parse({ filters: [6, 8], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], dropouts: [0, 0.1, 0], pool_sizes: [2, 2], fc_units: [12], batch_norm: true }, 'p', issues);
  expect(issues).toEqual([]);
  return modelKinds.CNN.build(params, [16, 2], 3, 'synthetic_cnn', { rng: createRng(seed) });
}

