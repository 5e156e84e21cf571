// Trains the Fashion-MNIST CNN on synthetic 28×28×1 data through Mote's training worker (the same client the
// app uses) and reports samples/s: `?backend=wasm|cpu|webgpu&batches=N`.
import { modelKinds } from '../../../src/core/models/registry';
import { createRng } from '../../../src/core/base/rng';
import { initTrainingBackend, trainInWorker, type BackendInfo } from '../../../src/workers/training-client';

declare global {
  interface Window { trainResult?: { backend: BackendInfo; isolated: boolean; samplesPerSecond: number; testAcc: number } | { error: string } }
}

const query = new URLSearchParams(location.search);
const backend = (query.get('backend') ?? 'wasm') as 'wasm' | 'cpu' | 'webgpu';
const batches = Number(query.get('batches') ?? 20);
const batchSize = 64;

async function run(): Promise<void> {
  const params = modelKinds.CNN.params.parse({
    dims: 2, batch_norm: true, filters: [16, 32], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], pool_sizes: [2, 2], dropouts: 0, fc_units: [64],
  }, 'model[0].params', []);
  const graph = modelKinds.CNN.build(params, [28, 28, 1], 10, 'fashionmnist_cnn', { rng: createRng(1) });
  const data = (count: number) => {
    const rng = createRng(count);
    return { x: Float32Array.from({ length: count * 784 }, () => rng.next()), shape: [28, 28, 1], labels: Int32Array.from({ length: count }, () => rng.int(10)) };
  };
  stage = 'init';
  const info = await initTrainingBackend(backend, { wasmThreads: query.get('threads') === '1' });
  const job = (count: number) => ({ graph, data: { train: data(count), test: data(10) }, epochs: 1, batchSize, seed: 1, backend, evaluate: true });
  stage = 'warm-up';
  await trainInWorker(job(batchSize * 2));
  stage = 'measured run';
  const start = performance.now();
  const result = await trainInWorker(job(batchSize * batches));
  const seconds = (performance.now() - start) / 1000;
  window.trainResult = { backend: result.backend ?? info, isolated: crossOriginIsolated, samplesPerSecond: (batchSize * batches) / seconds, testAcc: result.metrics.test!.metrics.acc };
  document.getElementById('out')!.textContent = JSON.stringify(window.trainResult);
}

let stage = 'build';
run().catch((error: Error) => { window.trainResult = { error: `${stage}: ${error.name}: ${error.message}` }; });
