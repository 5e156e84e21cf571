// One model's [[postprocessing]] as a job that can cross a worker boundary (no functions): the steps, the
// trained graph and the calibration set. The CLI runs it in process, the app in the training worker (never on
// the page's thread); both through runPostprocessingJob, on tfjs WASM, so that calibration ranges — and the
// quantized model — are the same wherever it runs. The caller writes what each step produced (onStep, awaited
// before the next step starts: a step that fails later loses nothing already done).

import { CancelledError, UnsupportedError } from '../base/errors';
import type { PostprocessingSection } from '../config/experiment';
import type { DataSet } from '../data/bundle';
import type { ModelGraph } from '../models/graph';
import { postprocessingKinds } from '../postprocessing/registry';
import type { PostprocessingInput, PostprocessingKind } from '../postprocessing/types';
import type { QuantizationOutcome } from '../quantization/outcome';
import type { BackendOptions } from '../training/backend';

export interface PostprocessingJob {
  /** experiment.postprocessing, in file order. */
  steps: PostprocessingSection[];
  /** The trained float graph. */
  graph: ModelGraph;
  /** The [[model]] name, without the `_r<i>` suffix. */
  name: string;
  iteration: number;
  /** The [[model]] entry after the template merge. */
  model: PostprocessingInput['model'];
  /** Calibration and QAT samples, as the model sees them at evaluation (PostprocessingInput.train). */
  train: DataSet;
  /** bench.seed. */
  seed: number;
}

/** What one step produced. */
export interface PostprocessingStepResult {
  /** `postprocessing[<i>]`. */
  where: string;
  kind: string;
  /** The model's name after this step. */
  name: string;
  /** Files to write, relative to the workspace root. */
  exports: Record<string, string | Uint8Array>;
  /** The graph after this step, when the step has `export = true` (the caller saves it). */
  graph?: ModelGraph;
}

export interface PostprocessingResult {
  name: string;
  graph: ModelGraph;
  quantization?: QuantizationOutcome;
}

export interface PostprocessingJobCallbacks {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** `step` is `postprocessing[<i>] <kind>`. */
  onProgress?: (step: string, done: number, total: number) => void;
  /** Each step's result as it completes; the next step waits for the returned promise. */
  onStep?: (step: PostprocessingStepResult) => void | Promise<void>;
}

/**
 * The backend every post-processing step's tfjs work runs on: WASM (CPU only where WASM cannot load), as the
 * CLI's Node process always has it; never WebGPU, even where training used it.
 */
export const POSTPROCESSING_BACKEND_ORDER: BackendOptions['order'] = ['wasm', 'cpu'];

function cancelled(job: PostprocessingJob): CancelledError {
  return new CancelledError(`post-processing of '${job.name}' was cancelled; the trained model is saved`);
}

/** Runs the job's steps in order; `backend` says where tfjs finds WASM (the worker's .wasm URLs). */
export async function runPostprocessingJob(job: PostprocessingJob, callbacks: PostprocessingJobCallbacks = {}, backend: Omit<BackendOptions, 'order' | 'preferred'> = {}): Promise<PostprocessingResult> {
  const { signal } = callbacks;
  let graph = job.graph;
  let name = job.name;
  let quantization: QuantizationOutcome | undefined;
  for (const [i, step] of job.steps.entries()) {
    if (signal?.aborted) throw cancelled(job);
    const where = `postprocessing[${i}]`;
    const kind = (postprocessingKinds as Record<string, PostprocessingKind>)[step.kind];
    if (!kind) throw new UnsupportedError(`${where}: kind '${step.kind}' is not supported by Mote yet; supported: ${Object.keys(postprocessingKinds).join(', ')}`);
    const output = await kind.run(step.params, {
      graph, name, iteration: job.iteration, model: job.model, train: job.train, seed: job.seed, where, log: callbacks.log,
      backend: { ...backend, order: POSTPROCESSING_BACKEND_ORDER },
      onProgress: (done, total) => {
        // Calibration reports after every batch: the soonest a cancel can stop it where it runs.
        if (signal?.aborted) throw cancelled(job);
        callbacks.onProgress?.(`${where} ${step.kind}`, done, total);
      },
    });
    graph = output.graph;
    name = output.name;
    quantization = output.quantization ?? quantization;
    await callbacks.onStep?.({ where, kind: step.kind, name, exports: output.exports, graph: step.export ? graph : undefined });
  }
  return { name, graph, quantization };
}
