// Per-kernel profile of training steps of the Fashion-MNIST CNN (bench/train/throughput.ts's model) on one
// tfjs backend in Node: where the milliseconds of a batch go, summed by kernel name over `steps` batches.
//
// Run: node --import ./bench/import/register.mjs bench/train/profile.ts [backend=wasm] [steps=10] [by=name|shapes]
// (by=shapes keys each row by kernel name and input shapes). Nested kernels (Mote's gradient kernels,
// customGrad's `forward`) count their inner kernels again, so the column adds up to more than the wall time.

import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { modelKinds } from '../../src/core/models/registry';
import { createRng } from '../../src/core/base/rng';
import { type BackendName, selectBackend } from '../../src/core/training/backend';
import { trainModel } from '../../src/core/training/train';

const backend = (process.argv[2] ?? 'wasm') as BackendName;
const steps = Number(process.argv[3] ?? 10);
const byShapes = process.argv[4] === 'shapes';
const batchSize = 64;

const params = modelKinds.CNN.params.parse({
  dims: 2, batch_norm: true, filters: [16, 32], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], pool_sizes: [2, 2], dropouts: 0, fc_units: [64],
}, 'model[0].params', []);
const graph = modelKinds.CNN.build(params, [28, 28, 1], 10, 'fashionmnist_cnn', { rng: createRng(1) });
const rng = createRng(3);
const count = batchSize * steps;
const x = Float32Array.from({ length: count * 784 }, () => rng.next());
const labels = Int32Array.from({ length: count }, () => rng.int(10));
const tiny = { x: x.subarray(0, 784 * 10), shape: [28, 28, 1], labels: labels.subarray(0, 10) };
await selectBackend({ order: [backend] });
const run = () => trainModel({ graph, data: { train: { x, shape: [28, 28, 1], labels }, test: tiny }, epochs: 1, batchSize, seed: 1, backend: { order: [backend] }, evaluate: false });
await run(); // warm-up

const start = performance.now();
const info = await tf.profile(async () => { await run(); });
const wall = performance.now() - start;
const byKernel = new Map<string, { ms: number; calls: number }>();
for (const k of info.kernels) {
  const key = byShapes ? `${k.name} ${JSON.stringify(k.inputShapes)}` : k.name;
  const entry = byKernel.get(key) ?? { ms: 0, calls: 0 };
  entry.ms += Number(k.kernelTimeMs) || 0;
  entry.calls++;
  byKernel.set(key, entry);
}
const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, e]) => s + e.ms, 0);
console.log(`${backend}: ${steps} batches of ${batchSize}; wall ${(wall / steps).toFixed(1)} ms/batch (profiled), kernels ${(total / steps).toFixed(1)} ms/batch, ${(info.kernels.length / steps).toFixed(0)} kernel calls/batch`);
for (const [name, e] of rows) console.log(`${name.padEnd(byShapes ? 60 : 24)} ${(e.ms / steps).toFixed(2).padStart(7)} ms/batch ${(e.calls / steps).toFixed(1).padStart(6)} calls/batch`);
