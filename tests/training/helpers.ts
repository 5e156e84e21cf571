import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendName } from '../../src/core/training/backend';
import type { ModelGraph } from '../../src/core/models/graph';
import { createRng } from '../../src/core/base/rng';

export async function useBackend(name: BackendName): Promise<void> {
  const info = await selectBackend({ order: [name] });
  if (info.name !== name || tf.getBackend() !== name) throw new Error(`backend ${name} not active`);
}

/** Gives BatchNorm layers non-trivial statistics and parameters so that tests see them. */
export function randomizeBatchNorm(graph: ModelGraph, seed = 7): ModelGraph {
  const rng = createRng(seed);
  for (const [key, tensor] of Object.entries(graph.weights)) {
    const role = key.slice(key.lastIndexOf('/') + 1);
    if (role === 'variance') tensor.data.forEach((_, i) => { tensor.data[i] = 0.5 + rng.next(); });
    else if (role === 'mean' || role === 'beta') tensor.data.forEach((_, i) => { tensor.data[i] = rng.next() - 0.5; });
    else if (role === 'gamma') tensor.data.forEach((_, i) => { tensor.data[i] = 0.5 + rng.next(); });
  }
  return graph;
}

export function randomInput(size: number, seed = 3): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: size }, () => rng.next() * 2 - 1);
}

export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(scale, 1e-6));
  return worst;
}
