// Training throughput of the Fashion-MNIST CNN of conf/fashionmnist/cnn_int8.toml (28×28×1, CNN [16, 32]
// k3 p1 batch_norm pool 2, fc [64], Adam, batch 64) per tfjs backend in Node, next to the same backend's
// measured matMul rate, so that the figure reads as a fraction of what that backend can do.
// Training FLOPs per sample are counted as 6 × the forward multiply-accumulates (forward 2·MACs, backward
// ≈ 2 × forward), the usual convention.
//
// Run: node --import ./bench/import/register.mjs bench/train/throughput.ts [backends=cpu,wasm] [batches=40]

import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import { modelKinds } from '../../src/core/models/registry';
import { countMacs, countParameters } from '../../src/core/models/shapes';
import { createRng } from '../../src/core/base/rng';
import { type BackendName, selectBackend } from '../../src/core/training/backend';
import { trainModel } from '../../src/core/training/train';

const backends = (process.argv[2] ?? 'cpu,wasm').split(',') as BackendName[];
const batches = Number(process.argv[3] ?? 40);
const batchSize = 64;

/** CPU seconds of this process (user + system): on a shared machine the CPU-time rates move far less
 * than the wall-clock ones. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

let lastPeakCpuGflops = 0;

function matmulGflops(n: number, seconds = 1.5): number {
  const values = createRng(n);
  const a = tf.tensor2d(Float32Array.from({ length: n * n }, () => values.next()), [n, n]);
  const b = tf.tensor2d(Float32Array.from({ length: n * n }, () => values.next()), [n, n]);
  tf.tidy(() => { tf.matMul(a, b).dataSync(); }); // warm-up (and wasm's first-call costs)
  let runs = 0;
  const start = performance.now();
  const cpuStart = cpuSeconds();
  while (performance.now() - start < seconds * 1000) {
    tf.tidy(() => { tf.matMul(a, b).dataSync(); });
    runs++;
  }
  const elapsed = (performance.now() - start) / 1000;
  lastPeakCpuGflops = Math.max(lastPeakCpuGflops, (2 * n ** 3 * runs) / (cpuSeconds() - cpuStart) / 1e9);
  tf.dispose([a, b]);
  return (2 * n ** 3 * runs) / elapsed / 1e9;
}

const params = modelKinds.CNN.params.parse({
  dims: 2, batch_norm: true, filters: [16, 32], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], pool_sizes: [2, 2], dropouts: 0, fc_units: [64],
}, 'model[0].params', []);
const graph = modelKinds.CNN.build(params, [28, 28, 1], 10, 'fashionmnist_cnn', { rng: createRng(1) });
const macs = countMacs(graph);
const flopsPerSample = 6 * macs;

const count = batchSize * batches;
const rng = createRng(3);
const x = Float32Array.from({ length: count * 784 }, () => rng.next());
const labels = Int32Array.from({ length: count }, () => rng.int(10));
const tiny = { x: x.subarray(0, 784 * 10), shape: [28, 28, 1], labels: labels.subarray(0, 10) };

console.log(`model: ${countParameters(graph)} parameters, ${(macs / 1e6).toFixed(3)} M MACs/sample → ${(flopsPerSample / 1e6).toFixed(2)} MFLOP/sample for training; ${count} samples, batch ${batchSize}`);
for (const name of backends) {
  const info = await selectBackend({ order: [name] });
  lastPeakCpuGflops = 0;
  const peak = Math.max(matmulGflops(256), matmulGflops(512));
  // Warm-up run (kernel setup, first allocations), then the measured one.
  await trainModel({ graph, data: { train: { x: x.subarray(0, 784 * batchSize * 2), shape: [28, 28, 1], labels: labels.subarray(0, batchSize * 2) }, test: tiny }, epochs: 1, batchSize, seed: 1, backend: { order: [name] }, evaluate: false });
  const start = performance.now();
  const cpuStart = cpuSeconds();
  await trainModel({ graph, data: { train: { x, shape: [28, 28, 1], labels }, test: tiny }, epochs: 1, batchSize, seed: 1, backend: { order: [name] }, evaluate: false });
  const seconds = (performance.now() - start) / 1000;
  const cpuGflops = (count * flopsPerSample) / (cpuSeconds() - cpuStart) / 1e9;
  const samplesPerSecond = count / seconds;
  const gflops = (samplesPerSecond * flopsPerSample) / 1e9;
  console.log(`${name} (${info.details || 'no details'}): matMul peak ${peak.toFixed(1)} GFLOP/s; training ${samplesPerSecond.toFixed(0)} samples/s = ${gflops.toFixed(2)} GFLOP/s = ${((100 * gflops) / peak).toFixed(1)}% of matMul peak; in CPU time ${cpuGflops.toFixed(2)} of ${lastPeakCpuGflops.toFixed(1)} GFLOP/s = ${((100 * cpuGflops) / lastPeakCpuGflops).toFixed(1)}%`);
}
