// The app's handle on the training worker (one per tab, started on first use). Usage:
//
//   const result = await trainInWorker({ graph, data, epochs: 20, batchSize: 32, seed: 2,
//                                        optimizer: { kind: 'Adam', params: { lr: 0.002 } } },
//                                      { onProgress: (p) => …, signal: controller.signal });
//
// `data`'s typed arrays are transferred to the worker (the caller's copies become empty: pass copies if
// you still need them). A cancelled run rejects with CancelledError; other errors keep their message.
import * as Comlink from 'comlink';
import { CancelledError } from '../core/errors';
import type { TrainResult, TrainingProgress } from '../core/training/train';
import type { BackendInfo, BackendName } from '../core/training/backend';
import type { TrainingJob, TrainingWorkerApi } from './training.worker';

export type { TrainingJob, TrainResult, TrainingProgress, BackendInfo };

let remote: Comlink.Remote<TrainingWorkerApi> | undefined;

export function trainingWorker(): Comlink.Remote<TrainingWorkerApi> {
  if (!remote) remote = Comlink.wrap<TrainingWorkerApi>(new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'mote-training' }));
  return remote;
}

/** Selects the backend in the worker (optional: train() does it too) and reports it. */
export function initTrainingBackend(preferred?: BackendName, options: { wasmThreads?: boolean } = {}): Promise<BackendInfo> {
  return trainingWorker().init({ preferred, wasmThreads: options.wasmThreads });
}

function dataBuffers(job: TrainingJob): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const set of [job.data.train, job.data.valid, job.data.test]) {
    if (!set) continue;
    for (const view of [set.x, set.labels]) if (view.buffer instanceof ArrayBuffer && view.byteLength > 0) buffers.add(view.buffer);
  }
  return [...buffers];
}

export async function trainInWorker(job: TrainingJob, options: { onProgress?: (p: TrainingProgress) => void; signal?: AbortSignal } = {}): Promise<TrainResult> {
  const worker = trainingWorker();
  if (options.signal?.aborted) throw new CancelledError('training was cancelled before it started');
  const onAbort = () => void worker.cancel();
  options.signal?.addEventListener('abort', onAbort);
  try {
    return await worker.train(Comlink.transfer(job, dataBuffers(job)), options.onProgress ? Comlink.proxy(options.onProgress) : undefined);
  } catch (error) {
    // Comlink rebuilds errors as plain Errors carrying the original name and message.
    const { name, message } = error as Error;
    if (name === 'CancelledError') throw new CancelledError(message, { cause: error });
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
