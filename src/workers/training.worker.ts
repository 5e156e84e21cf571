// Comlink entry point of the training worker: trains a ModelGraph with tfjs off the main thread, over the
// same core as the CLI (src/core/training/train.ts). The UI reaches it through ./training-client.ts.
//
// API (all methods async through Comlink):
//   init({ preferred? })            → BackendInfo   selects WebGPU / WASM / CPU (fallbacks reported in messages)
//   train(job, onProgress?)         → TrainResult   job: TrainingJob below; typed arrays of job.data are
//                                                    transferred (not copied) by the client; the trained
//                                                    graph's weights come back transferred too.
//   cancel()                        → void          aborts the running job at its next batch; train() then
//                                                    rejects with an Error whose name is 'CancelledError'.
// Augmentations travel as their TOML specs ([[data_augmentation]]) and are built here, because functions
// cannot cross the worker boundary.

import * as Comlink from 'comlink';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { augmentationHook, prepareAugmentations, type AugmentationSpec } from '../core/augmentation/pipeline';
import type { ModelGraph } from '../core/models/graph';
import { type BackendInfo, type BackendName, selectBackend } from '../core/training/backend';
import { type TrainOptions, type TrainResult, type TrainingProgress, trainModel } from '../core/training/train';

const wasmPaths = {
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
};

/** Everything of TrainOptions that can cross a worker boundary, plus augmentation specs. */
export type TrainingJob = Omit<TrainOptions, 'augment' | 'evaluationAugment' | 'signal' | 'onProgress' | 'backend'> & {
  augmentations?: AugmentationSpec[];
  /** 'uint8' when the sets hold raw bytes (IntToFloat32 then converts). */
  sourceDtype?: 'uint8' | 'float32';
  backend?: BackendName;
};

let running: AbortController | undefined;
let wasmThreads = false;

function weightBuffers(graph: ModelGraph): ArrayBuffer[] {
  return Object.values(graph.weights).map((t) => t.data.buffer as ArrayBuffer);
}

const api = {
  /** `wasmThreads` only works in unminified builds on cross-origin-isolated pages (see BackendOptions). */
  async init(options: { preferred?: BackendName; wasmThreads?: boolean } = {}): Promise<BackendInfo> {
    wasmThreads = options.wasmThreads === true;
    return selectBackend({ preferred: options.preferred, wasmPaths, wasmThreads });
  },

  async train(job: TrainingJob, onProgress?: (progress: TrainingProgress) => void): Promise<TrainResult> {
    if (running) throw new Error('a training job is already running in this worker; cancel it first');
    const controller = new AbortController();
    running = controller;
    try {
      const { augmentations, sourceDtype, backend, ...options } = job;
      const prepared = prepareAugmentations(augmentations ?? []);
      const classes = job.data.classNames?.length ?? 0;
      const hooks = prepared.length && classes
        ? {
            augment: augmentationHook(prepared, { classes, sourceDtype: sourceDtype ?? 'float32', phase: 'train', acceptsSoftLabels: true }),
            evaluationAugment: augmentationHook(prepared, { classes, sourceDtype: sourceDtype ?? 'float32', phase: 'evaluate' }),
          }
        : {};
      const result = await trainModel({
        ...options, ...hooks, signal: controller.signal, backend: { preferred: backend, wasmPaths, wasmThreads },
        // Comlink proxies are async: progress events are fire-and-forget.
        onProgress: onProgress ? (p) => void onProgress(p) : undefined,
      });
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
