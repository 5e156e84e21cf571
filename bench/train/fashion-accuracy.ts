// Float test accuracy of the Fashion-MNIST CNN of conf/fashionmnist/cnn_int8.toml trained on the real data
// with tfjs-wasm in Node (goal ≥ 0.88), and the training time. Pixels scaled to [0, 1] like the config's
// Normalize; no validation split (the config holds out 10 % of train as `valid`; here all 60 000 train).
// Run: node --import ./bench/import/register.mjs bench/train/fashion-accuracy.ts [epochs=3] [folder]

import { performance } from 'node:perf_hooks';
import { FashionMNIST } from '../../src/core/data/kinds/fashion-mnist';
import { openNodePath } from '../../src/core/data/source.node';
import { modelKinds } from '../../src/core/models/registry';
import { createRng } from '../../src/core/base/rng';
import { trainModel } from '../../src/core/training/train';

const epochs = Number(process.argv[2] ?? 3);
const folder = process.argv[3] ?? '/usr/share/datasets/fashion-mnist';
const bundle = await FashionMNIST.load({ path: folder, dtype: 'uint8' }, await openNodePath(folder));
const scale = (x: Float32Array | Uint8Array) => Float32Array.from(x, (v) => v / 255);
const params = modelKinds.CNN.params.parse({
  dims: 2, batch_norm: true, filters: [16, 32], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], pool_sizes: [2, 2], dropouts: 0, fc_units: [64],
}, 'model[0].params', []);
const graph = modelKinds.CNN.build(params, [28, 28, 1], 10, 'fashionmnist_cnn', { rng: createRng(2) });
const start = performance.now();
let lastLine = 0;
const result = await trainModel({
  graph, seed: 2, epochs, batchSize: 64, optimizer: { kind: 'Adam', params: { lr: 0.001 } }, backend: { order: ['wasm'] },
  data: { train: { ...bundle.train, x: scale(bundle.train.x) }, test: { ...bundle.test, x: scale(bundle.test.x) } },
  onProgress: (p) => {
    if (performance.now() - lastLine < 30_000 && p.batch !== p.batches) return;
    lastLine = performance.now();
    console.log(`  ${p.phase} epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches}: loss ${p.loss.toFixed(4)}, acc ${(p.metrics.acc ?? 0).toFixed(4)}, ${p.samplesPerSecond.toFixed(0)} samples/s`);
  },
});
const seconds = (performance.now() - start) / 1000;
for (const h of result.history) console.log(`epoch ${h.epoch}: train loss ${h.train.loss.toFixed(4)}, train acc ${h.train.metrics.acc.toFixed(4)}, ${h.seconds.toFixed(0)} s (${(60000 / h.seconds).toFixed(0)} samples/s)`);
console.log(`Fashion-MNIST CNN, ${epochs} epochs on ${result.backend.name} (${result.backend.details}): test acc ${result.metrics.test!.metrics.acc.toFixed(4)}, avgclsacc ${result.metrics.test!.metrics.avgclsacc.toFixed(4)}; ${seconds.toFixed(0)} s in all`);
