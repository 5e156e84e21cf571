// "Try it live": one new example (a drawn digit, …) through a run's trained model, as float (tfjs) and as
// Mote's integer reference (the oracle the boards are compared with), side by side. The example is given in
// the dataset's own units (the built-in digits: 8 × 8 values 0..16) and prepared exactly as the run's test
// samples were: the experiment's [[preprocessing]] runs with the train set it was fitted on and the example as
// the test set (so Normalize uses the train statistics), then the `evaluate = true` augmentations.

import type { Experiment } from '../config/experiment';
import { makeSet, type DataBundle } from '../data/bundle';
import type { BenchResults } from '../experiments/results';
import type { Workspace } from '../base/workspace';
import { sizeOf } from '../models/shapes';
import type { QuantizedGraph } from '../quantization/quantized-graph';
import { quantizeInput, runIntReference } from '../quantization/reference-int';
import type { LongWidth } from '../layers/shared/fixed-point';
import { TfGraphModel } from '../training/tf-model';
import * as tf from '@tensorflow/tfjs-core';
import { applyPreprocessing } from './prepare-data';
import { deployJobs, evaluationSet } from './deploy';
import { loadFinalModel } from './final-model';
import { ConfigError } from '../base/errors';

export interface LivePrediction {
  /** Index into classNames of the highest score. */
  predicted: number;
  /** Softmax of the model's outputs (the integer outputs read as fixed point), one per class. */
  scores: number[];
}

export interface LiveResult {
  /** What the model received (after preprocessing), `inputShape` values. */
  input: Float32Array;
  float: LivePrediction;
  /** Absent when the run has no fixed-point model (no [deploy], or quantize = ["float32"]). */
  integer?: LivePrediction & { format: string };
}

export interface LiveModel {
  /** The [[model]] after [[postprocessing]] renames, and its run. */
  name: string;
  iteration: number;
  classNames: string[];
  /** The shape of one example in the dataset's own units (before preprocessing). */
  rawShape: number[];
  inputShape: number[];
  /** The example as the model sees it. */
  prepare(raw: Float32Array): Float32Array;
  classify(raw: Float32Array): Promise<LiveResult>;
  dispose(): void;
}

function softmax(values: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  const exp = Array.from(values, (v) => Math.exp(v - max));
  const sum = exp.reduce((a, b) => a + b, 0);
  return exp.map((v) => v / sum);
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** The raw data's test set replaced by one example, preprocessed as the run's data was. */
export function prepareLiveInput(experiment: Experiment, raw: DataBundle, example: Float32Array): Float32Array {
  const size = sizeOf(raw.test.shape);
  if (example.length !== size) throw new ConfigError(`the example holds ${example.length} values; this dataset's samples are [${raw.test.shape.join(' × ')}] = ${size} values`);
  const bundle: DataBundle = { ...raw, valid: undefined, test: makeSet(Float32Array.from(example), raw.test.shape, new Int32Array([0])) };
  const prepared = applyPreprocessing(bundle, experiment.preprocessing ?? [], experiment.bench.seed);
  const set = evaluationSet({ ...experiment, deploy: experiment.deploy ? { ...experiment.deploy, limit: undefined } : undefined }, prepared);
  if (set.count !== 1) throw new ConfigError(`the experiment's [[preprocessing]] turns one example into ${set.count} test samples; trying one example live needs one`);
  return set.x;
}

/**
 * The first trained model of a run (its workspace and results.json record) with its first fixed-point deploy
 * format; `raw` is the experiment's dataset as loaded, before [[preprocessing]].
 */
export async function loadLiveModel(experiment: Experiment, workspace: Workspace, results: BenchResults, raw: DataBundle): Promise<LiveModel> {
  const record = results.runs[0];
  if (!record) throw new ConfigError('this run trained no model; press Run first');
  let integer: { format: string; quantized: QuantizedGraph; longWidth?: LongWidth } | undefined;
  if (experiment.deploy) {
    for await (const job of deployJobs(experiment, workspace, results)) {
      if (job.codegen.format !== 'float32' && job.name === record.model && job.iteration === record.iteration) {
        integer = { format: job.codegen.format, quantized: job.codegen.quantized, longWidth: job.options.longWidth };
        break;
      }
    }
  }
  const { graph } = await loadFinalModel(workspace, record.model, record.iteration);
  const tfModel = await TfGraphModel.create(graph);
  const inputShape = graph.shapes[graph.layers[0].name];
  const prepare = (example: Float32Array) => prepareLiveInput(experiment, raw, example);
  return {
    name: record.model, iteration: record.iteration, classNames: raw.classNames, rawShape: raw.test.shape, inputShape,
    prepare,
    async classify(example) {
      const input = prepare(example);
      if (input.length !== sizeOf(inputShape)) throw new ConfigError(`the prepared example holds ${input.length} values; the model takes [${inputShape.join(' × ')}]`);
      const logits = tf.tidy(() => tfModel.forward(tfModel.inputTensor(input, 1), { training: false }));
      const values = await logits.data();
      logits.dispose();
      const float = { predicted: argmax(values), scores: softmax(values) };
      if (!integer) return { input, float };
      const q = integer.quantized;
      const raw = runIntReference(q, quantizeInput(q, input), { longWidth: integer.longWidth });
      const frac = q.formats[q.graph.layers[q.graph.layers.length - 1].name].output;
      return { input, float, integer: { format: integer.format, predicted: argmax(raw), scores: softmax(Array.from(raw, (v) => v * 2 ** -frac)) } };
    },
    dispose: () => tfModel.dispose(),
  };
}

