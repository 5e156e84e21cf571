// Comlink entry point of the training worker: trains a ModelGraph with tfjs off the main thread, through
// the same runTrainingJob as the CLI (src/core/pipeline/training-job.ts), and post-processes it through the
// same runPostprocessingJob (src/core/pipeline/postprocessing-job.ts). The UI reaches it through
// ./training-client.ts.
//
// API (all methods async through Comlink):
//   init({ preferred? })            → BackendInfo   selects WebGPU / WASM / CPU (fallbacks reported in messages)
//   train(job, onProgress?, onCheckpoint?) → TrainResult   job: TrainingJob of training-job.ts; typed arrays of job.data
//                                                    are transferred (not copied) by the client; the trained
//                                                    graph's weights come back transferred too.
//                                                    A job that fails on WebGPU for a reason of the backend
//                                                    (a kernel that does not run, a lost device) runs again
//                                                    on WASM/CPU; result.messages says so. onCheckpoint
//                                                    gets each epoch's checkpoint; the next epoch waits for it.
//   cancel()                        → void          aborts the running job at its next batch; train() then
//                                                    rejects with an Error whose name is 'CancelledError'.
//   postprocess(job, onProgress?, onLog?, onStep?) → PostprocessingResult   one model's [[postprocessing]]
//                                                    (postprocessing-job.ts, as the CLI runs it): batch-norm
//                                                    fusion, PTQ calibration, QAT on tfjs WASM — here, not on
//                                                    the page's thread. onStep gets each step's files and
//                                                    exported graph; the next step waits for it. The final
//                                                    graph's weights come back transferred. A calibration
//                                                    pass does not yield between batches, so the client
//                                                    cancels it by ending the worker (training-client.ts).
// Augmentations travel as their TOML specs ([[data_augmentation]]) and are built where the job runs, because
// functions cannot cross the worker boundary.

import * as Comlink from 'comlink';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { MoteError } from '../core/base/errors';
import type { ModelGraph } from '../core/models/graph';
import { runTrainingJob, type TrainingJob } from '../core/pipeline/training-job';
import { runPostprocessingJob, type PostprocessingJob, type PostprocessingResult, type PostprocessingStepResult } from '../core/pipeline/postprocessing-job';
import { type BackendInfo, type BackendName, BackendError, currentBackend, selectBackend } from '../core/training/backend';
import type { TrainResult, TrainingProgress } from '../core/training/train';
import type { TrainingCheckpoint } from '../core/training/checkpoint';

export type { TrainingJob, PostprocessingJob, PostprocessingResult, PostprocessingStepResult };

const wasmPaths = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
};

let running: AbortController | undefined;
let wasmThreads = false;

/**
 * Runs the job; when it fails on WebGPU for a reason of the backend (not the experiment: MoteErrors other
 * than BackendError are the experiment's or the user's), runs it again from the start on the other backends.
 * The job's graph is never modified by trainModel, so the second run starts from the same weights and seed.
 */
async function runWithFallback(job: TrainingJob, signal: AbortSignal, onProgress?: (progress: TrainingProgress) => void, onCheckpoint?: (checkpoint: TrainingCheckpoint) => Promise<void>): Promise<TrainResult> {
  const callbacks = { signal, onProgress, onCheckpoint };
  try {
    return await runTrainingJob(job, callbacks, { wasmPaths, wasmThreads });
  } catch (error) {
    const onWebGpu = currentBackend()?.name === 'webgpu';
    if (!onWebGpu || signal.aborted || (error instanceof MoteError && !(error instanceof BackendError))) throw error;
    const message = `training on webgpu failed (${(error as Error).message}); trained again from the start on another backend`;
    const result = await runTrainingJob({ ...job, backend: undefined }, callbacks, { wasmPaths, wasmThreads, order: ['wasm', 'cpu'] });
    return { ...result, messages: [message, ...result.messages], backend: { ...result.backend, messages: [message, ...result.backend.messages] } };
  }
}

function weightBuffers(graph: ModelGraph): ArrayBuffer[] {
  return [...new Set(Object.values(graph.weights).map((t) => t.data.buffer as ArrayBuffer))];
}

const api = {
  /** `wasmThreads` only works in unminified builds on cross-origin-isolated pages (see BackendOptions). */
  async init(options: { preferred?: BackendName; wasmThreads?: boolean } = {}): Promise<BackendInfo> {
    wasmThreads = options.wasmThreads === true;
    return selectBackend({ preferred: options.preferred, wasmPaths, wasmThreads });
  },

  async train(job: TrainingJob, onProgress?: (progress: TrainingProgress) => void, onCheckpoint?: (checkpoint: TrainingCheckpoint) => void | Promise<void>): Promise<TrainResult> {
    if (running) throw new Error('a training job is already running in this worker; cancel it first');
    const controller = new AbortController();
    running = controller;
    try {
      // Comlink proxies are async: progress events are fire-and-forget.
      // Checkpoints are awaited: the main thread has written one to the store before the next epoch starts.
      const result = await runWithFallback(job, controller.signal, onProgress ? (p) => void onProgress(p) : undefined, onCheckpoint ? async (c) => { await onCheckpoint(c); } : undefined);
      return Comlink.transfer(result, weightBuffers(result.graph));
    } finally {
      running = undefined;
    }
  },

  async postprocess(job: PostprocessingJob, onProgress?: (step: string, done: number, total: number) => void, onLog?: (line: string) => void, onStep?: (step: PostprocessingStepResult) => void | Promise<void>): Promise<PostprocessingResult> {
    if (running) throw new Error('a training job is already running in this worker; cancel it first');
    const controller = new AbortController();
    running = controller;
    try {
      // Progress and log lines are fire-and-forget (Comlink keeps their order); each step's files are awaited.
      const result = await runPostprocessingJob(job, {
        signal: controller.signal,
        onProgress: onProgress ? (step, done, total) => void onProgress(step, done, total) : undefined,
        log: onLog ? (line) => void onLog(line) : undefined,
        onStep: onStep ? async (step) => { await onStep(step); } : undefined,
      }, { wasmPaths, wasmThreads });
      return Comlink.transfer(result, weightBuffers(result.graph));
    } finally {
      running = undefined;
    }
  },

  cancel(): void {
    running?.abort();
  },
};

export type TrainingWorkerApi = typeof api;

Comlink.expose(api);
