// The app's handle on the training worker (one per tab, started on first use). Usage:
//
//   const result = await trainInWorker({ graph, data, epochs: 20, batchSize: 32, seed: 2,
//                                        optimizer: { kind: 'Adam', params: { lr: 0.002 } } },
//                                      { onProgress: (p) => …, signal: controller.signal });
//
// `data`'s typed arrays are transferred to the worker (the caller's copies become empty: pass copies if
// you still need them). A cancelled run rejects with CancelledError; other errors keep their message.
//
// postprocessInWorker(job, callbacks) runs one model's [[postprocessing]] there the same way (the engine's
// trainer.runPostprocessing in the app), so no tfjs backend ever starts on the page's thread.
//
// Which backend: by default the worker picks WebGPU on a hardware adapter, else WASM, else CPU. A software
// WebGPU adapter (SwiftShader) is slower than WASM and is used only when asked for: by the job's `backend`,
// by setPreferredTrainingBackend(), or by the page address (`?backend=webgpu|wasm|cpu`, e.g. for tests and
// for trying WebGPU on a machine without a GPU). TrainResult.backend says which one trained.
import * as Comlink from 'comlink';
import { CancelledError, ConfigError } from '../core/base/errors';
import type { TrainingJob } from '../core/pipeline/training-job';
import type { PostprocessingJob, PostprocessingJobCallbacks, PostprocessingResult } from '../core/pipeline/postprocessing-job';
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

let started: { worker: Worker; remote: Comlink.Remote<TrainingWorkerApi> } | undefined;

function startedWorker(): NonNullable<typeof started> {
  if (!started) {
    const worker = new Worker(new URL('./training.worker.ts', import.meta.url), { type: 'module', name: 'mote-training' });
    started = { worker, remote: Comlink.wrap<TrainingWorkerApi>(worker) };
  }
  return started;
}

export function trainingWorker(): Comlink.Remote<TrainingWorkerApi> {
  return startedWorker().remote;
}

/** Ends the worker (whatever it is doing); the next call starts a fresh one. */
function stopTrainingWorker(): void {
  started?.worker.terminate();
  started = undefined;
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

function setBuffers(set: { x: Float32Array | Uint8Array; labels: Int32Array }): ArrayBuffer[] {
  return [...new Set([set.x, set.labels].filter((view) => view.buffer instanceof ArrayBuffer && view.byteLength > 0).map((view) => view.buffer as ArrayBuffer))];
}

/**
 * One model's [[postprocessing]] in the training worker. The calibration set's arrays are transferred (pass
 * a copy). A calibration pass never yields between batches, so a cancel ends the worker at once (the next
 * job starts a fresh one) and rejects with CancelledError; the steps already done have been handed to
 * onStep. A worker that dies (out of memory) rejects in words instead of leaving the Run waiting.
 */
export async function postprocessInWorker(job: PostprocessingJob, callbacks: PostprocessingJobCallbacks = {}): Promise<PostprocessingResult> {
  const { signal } = callbacks;
  if (signal?.aborted) throw new CancelledError(`post-processing of '${job.name}' was cancelled before it started`);
  const { worker, remote } = startedWorker();
  let onAbort = () => undefined as void;
  let onError = (_event: ErrorEvent) => undefined as void;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => {
      stopTrainingWorker();
      reject(new CancelledError(`post-processing of '${job.name}' was cancelled; the trained model is saved`));
    };
    onError = (event) => {
      stopTrainingWorker();
      reject(new Error(`the training worker failed while post-processing '${job.name}' (${event.message || 'it gave no reason; the tab may be out of memory'}); the trained model is saved, run again to retry`));
    };
  });
  signal?.addEventListener('abort', onAbort);
  worker.addEventListener('error', onError);
  try {
    return await Promise.race([
      stopped,
      remote.postprocess(
        Comlink.transfer(job, setBuffers(job.train)),
        callbacks.onProgress ? Comlink.proxy(callbacks.onProgress) : undefined,
        callbacks.log ? Comlink.proxy(callbacks.log) : undefined,
        callbacks.onStep ? Comlink.proxy(callbacks.onStep) : undefined,
      ),
    ]);
  } catch (error) {
    const { name, message } = error as Error;
    if (name === 'CancelledError' && !(error instanceof CancelledError)) throw new CancelledError(message, { cause: error });
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    worker.removeEventListener('error', onError);
  }
}
