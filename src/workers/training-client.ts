// The app's handle on the training worker (one per tab, started on first use). Usage:
//
//   const result = await trainInWorker({ graph, data, epochs: 20, batchSize: 32, seed: 2,
//                                        optimizer: { kind: 'Adam', params: { lr: 0.002 } } },
//                                      { onProgress: (p) => …, signal: controller.signal });
//
// `data`'s typed arrays are transferred to the worker (the caller's copies become empty: pass copies if
// you still need them). A cancelled run rejects with CancelledError; other errors keep their message.
//
// Which backend: by default the worker picks WebGPU on a hardware adapter, else WASM, else CPU. A software
// WebGPU adapter (SwiftShader) is slower than WASM and is used only when asked for: by the job's `backend`,
// by setPreferredTrainingBackend(), or by the page address (`?backend=webgpu|wasm|cpu`, e.g. for tests and
// for trying WebGPU on a machine without a GPU). TrainResult.backend says which one trained.
import * as Comlink from 'comlink';
import { CancelledError, ConfigError } from '../core/base/errors';
import type { TrainingJob } from '../core/pipeline/training-job';
import type { TrainResult, TrainingProgress } from '../core/training/train';
import type { TrainingCheckpoint } from '../core/training/checkpoint';
import type { BackendInfo, BackendName } from '../core/training/backend';
import type { TrainingWorkerApi } from './training.worker';

export type { TrainingJob, TrainResult, TrainingProgress, BackendInfo, BackendName };

const BACKEND_NAMES: readonly string[] = ['webgpu', 'wasm', 'cpu'] satisfies BackendName[];

/** `?backend=…` of the page address, as written (checked when used, so that a typo is reported, not ignored). */
function backendFromAddress(): string | undefined {
  const search = (globalThis as { location?: { search?: string } }).location?.search;
  return search ? new URLSearchParams(search).get('backend') ?? undefined : undefined;
}

let preferredBackend: string | undefined = backendFromAddress();

/** The backend training should try first (the others stay fallbacks); undefined lets the worker choose. */
export function preferredTrainingBackend(): BackendName | undefined {
  if (preferredBackend === undefined || preferredBackend === '') return undefined;
  if (!BACKEND_NAMES.includes(preferredBackend)) {
    throw new ConfigError(`the page address asks for training backend '${preferredBackend}' (?backend=${preferredBackend}), which Mote does not know; use ${BACKEND_NAMES.join(', ')} or remove the parameter`);
  }
  return preferredBackend as BackendName;
}

/** Sets (or with undefined, clears) the backend that later trainings and initTrainingBackend() try first. */
export function setPreferredTrainingBackend(name: BackendName | undefined): void {
  preferredBackend = name;
}

let remote: Comlink.Remote<TrainingWorkerApi> | undefined;

export function trainingWorker(): Comlink.Remote<TrainingWorkerApi> {
  if (!remote) remote = Comlink.wrap<TrainingWorkerApi>(new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'mote-training' }));
  return remote;
}

/** Selects the backend in the worker (optional: train() does it too) and reports it. */
export function initTrainingBackend(preferred?: BackendName, options: { wasmThreads?: boolean } = {}): Promise<BackendInfo> {
  return trainingWorker().init({ preferred: preferred ?? preferredTrainingBackend(), wasmThreads: options.wasmThreads });
}

function dataBuffers(job: TrainingJob): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const set of [job.data.train, job.data.valid, job.data.test]) {
    if (!set) continue;
    for (const view of [set.x, set.labels]) if (view.buffer instanceof ArrayBuffer && view.byteLength > 0) buffers.add(view.buffer);
  }
  return [...buffers];
}

export async function trainInWorker(job: TrainingJob, options: { onProgress?: (p: TrainingProgress) => void; onCheckpoint?: (checkpoint: TrainingCheckpoint) => void | Promise<void>; signal?: AbortSignal } = {}): Promise<TrainResult> {
  const worker = trainingWorker();
  if (options.signal?.aborted) throw new CancelledError('training was cancelled before it started');
  const backend = job.backend ?? preferredTrainingBackend();
  if (backend !== job.backend) job = { ...job, backend };
  const onAbort = () => void worker.cancel();
  options.signal?.addEventListener('abort', onAbort);
  try {
    return await worker.train(Comlink.transfer(job, dataBuffers(job)), options.onProgress ? Comlink.proxy(options.onProgress) : undefined, options.onCheckpoint ? Comlink.proxy(options.onCheckpoint) : undefined);
  } catch (error) {
    // Comlink rebuilds errors as plain Errors carrying the original name and message.
    const { name, message } = error as Error;
    if (name === 'CancelledError') throw new CancelledError(message, { cause: error });
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
