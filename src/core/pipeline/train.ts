// train, wherever it runs: for every run first_run..last_run and every enabled [[model]], build the model
// from its kind, train it (the caller says where: in process for the CLI, in the training worker for the
// app), save `out/learningmodel/<name>_r<i>.mote`, then run [[postprocessing]] in file order (renaming as
// Qualia does; the caller says where too: in process for the CLI, in the training worker for the app) and keep
// the final graph — and its fixed-point quantization — for prepare_deploy.

import type { Model } from '../config/experiment';
import { parseOrThrow } from '../base/schema';
import type { Experiment } from '../config/experiment';
import { augmentationHook, augmentedShape, prepareAugmentations } from '../augmentation/pipeline';
import type { DataBundle, DataSet } from '../data/bundle';
import { InputFileError, UnsupportedError } from '../base/errors';
import type { ModelKind } from '../models/builder';
import type { ModelGraph } from '../models/graph';
import { countParameters } from '../models/shapes';
import { modelKinds } from '../models/registry';
import { createRng } from '../base/rng';
import { pytorch, type PyTorchParams } from '../training/pytorch';
import type { TrainResult, TrainingProgress } from '../training/train';
import { loadTrainedModel, saveTrainedModel } from '../training/weights-store';
import { enabledModels, runIndices } from './context';
import { saveFinalModel } from './final-model';
import { runRecord, type BenchResults } from '../experiments/results';
import type { TrainingJob, TrainingJobCallbacks } from './training-job';
import type { PostprocessingJob, PostprocessingJobCallbacks, PostprocessingResult } from './postprocessing-job';
import type { Workspace } from '../base/workspace';
import type { CheckpointStore } from '../training/checkpoint-store';
import type { OnnxRuntime } from '../models/onnx/runtime';
import { evaluationSet, type EvaluationSet } from './deploy';
import { onnxFloatReference } from './onnx-reference';

export interface TrainEnvironment {
  workspace: Workspace;
  /** Bench results to add the train records to (the caller saves them). */
  results: BenchResults;
  /** Trains one job: `runTrainingJob` in process, or the training worker. */
  runJob: (job: TrainingJob, callbacks: TrainingJobCallbacks) => Promise<TrainResult>;
  log: (line: string) => void;
  signal?: AbortSignal;
  onModel?: (name: string, iteration: number) => void;
  onTrainingProgress?: (name: string, progress: TrainingProgress) => void;
  onPostprocessing?: (step: string, done: number, total: number) => void;
  /**
   * Runs one model's [[postprocessing]]: `runPostprocessingJob` in process, or the training worker. The job's
   * typed arrays may be transferred (it gets its own copies); onStep is awaited.
   */
  runPostprocessing: (job: PostprocessingJob, callbacks: PostprocessingJobCallbacks) => Promise<PostprocessingResult>;
  /** Called after each model's record is complete (the CLI saves results.json as it goes). */
  onRecord?: () => Promise<void>;
  /**
   * Per-epoch checkpoints: each model's training saves one after every epoch, and when one is there already (a
   * run interrupted and resumed) goes on from it instead of starting over. Absent: no checkpoints.
   */
  checkpoints?: CheckpointStore;
  /** onnxruntime-web, to check each final float model against Mote's float reference (pipeline/onnx-reference.ts). */
  onnxRuntime?: OnnxRuntime;
}

export interface TrainedModel {
  /** The [[model]] name. */
  name: string;
  /** The name after [[postprocessing]] renames (Qualia's `_fused`, `_q8_…` suffixes). */
  finalName: string;
  iteration: number;
  result: TrainResult;
}

/** Both of Qualia's frameworks train with tfjs; only PyTorch has params. */
function frameworkParams(experiment: Experiment): PyTorchParams {
  const { kind, params } = experiment.learningframework;
  return parseOrThrow(pytorch.params, kind === 'PyTorch' ? params : {}, 'learningframework.params');
}

function modelKind(model: Model): ModelKind {
  const kind = (modelKinds as Record<string, ModelKind>)[model.kind];
  if (!kind) throw new UnsupportedError(`model kind '${model.kind}' is not supported by Mote yet; supported: ${Object.keys(modelKinds).join(', ')}`);
  return kind;
}

/** A file a model kind reads (an imported .onnx), with a message naming the model when it is missing. */
async function readModelFile(workspace: Workspace, model: string, path: string): Promise<Uint8Array> {
  if (!(await workspace.exists(path))) throw new InputFileError(`model '${model}': ${path} does not exist (params.path is relative to the workspace, the folder that holds out/ and logs/)`);
  return workspace.readFile(path);
}

/** A copy of a set whose buffers may be transferred to a worker without emptying the caller's bundle. */
function detachableSet(set: DataSet): DataSet {
  return { x: set.x.slice(), shape: [...set.shape], labels: set.labels.slice(), count: set.count };
}

export async function trainExperiment(experiment: Experiment, bundle: DataBundle, env: TrainEnvironment): Promise<TrainedModel[]> {
  const framework = frameworkParams(experiment);
  const augmentations = prepareAugmentations(experiment.data_augmentation);
  const classes = bundle.classNames.length;
  const sourceDtype = bundle.train.x instanceof Uint8Array ? 'uint8' : 'float32';
  const inputShape = augmentedShape(bundle.train.shape, classes, augmentations, 'train');
  const trained: TrainedModel[] = [];
  let calibrationSet: DataSet | undefined;
  let referenceSet: EvaluationSet | undefined;

  for (const iteration of runIndices(experiment)) {
    for (const model of enabledModels(experiment)) {
      const seed = (experiment.bench.seed * 100 + iteration) >>> 0;
      const { input_shape, output_shape, quant_params: _quant, ...kindParams } = model.params;
      const kind = modelKind(model);
      const files = Object.fromEntries(await Promise.all((kind.files?.(kindParams) ?? []).map(async (path) => [path, await readModelFile(env.workspace, model.name, path)] as const)));
      const built = kind.build(kindParams, input_shape ?? inputShape, output_shape?.[0] ?? classes, model.name, { rng: createRng(seed).fork(`init:${model.name}`), files });
      const graph = model.load ? await loadTrainedModel(env.workspace, model.name, iteration) : built;
      env.log(`run ${iteration} · ${model.name} (${model.kind}, ${countParameters(graph)} parameters)`);
      env.onModel?.(model.name, iteration);
      const checkpoints = env.checkpoints;
      const resumeFrom = checkpoints && model.train ? await checkpoints.load(model.name, iteration, env.log) : undefined;

      const result = await env.runJob({
        graph,
        data: { train: detachableSet(bundle.train), valid: bundle.valid && detachableSet(bundle.valid), test: detachableSet(bundle.test), classNames: bundle.classNames },
        epochs: model.train ? model.epochs : 0,
        batchSize: model.batch_size,
        optimizer: model.optimizer && { kind: model.optimizer.kind, params: model.optimizer.params },
        scheduler: model.optimizer?.scheduler,
        loss: framework.loss,
        metrics: framework.metrics,
        useBestEpoch: framework.use_best_epoch,
        checkpointMetric: framework.checkpoint_metric,
        useTestAsValid: experiment.bench.use_test_as_valid,
        seed,
        augmentations: experiment.data_augmentation,
        sourceDtype,
        train: model.train,
        evaluate: model.evaluate,
        resumeFrom,
      }, {
        signal: env.signal,
        onProgress: (p) => env.onTrainingProgress?.(model.name, p),
        onCheckpoint: checkpoints && model.train ? (checkpoint) => checkpoints.save(model.name, iteration, checkpoint) : undefined,
      });
      for (const message of result.messages) env.log(message);
      if (!(model.load && !model.train)) env.log(`saved ${await saveTrainedModel(env.workspace, model.name, iteration, result.graph)}`);
      const test = result.metrics.test;
      if (test) env.log(`test: ${Object.entries(test.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')} (${test.count} samples, ${result.backend.name})`);

      // Calibration and QAT see what the model sees at evaluation: the train set after `evaluate = true` augmentations.
      calibrationSet ??= evaluatedSet(bundle.train, augmentationHook(augmentations, { classes, sourceDtype, phase: 'evaluate' }), experiment.bench.seed);
      const final = await postprocess(experiment, env, model, iteration, result.graph, calibrationSet);
      referenceSet ??= evaluationSet(experiment, bundle);
      const onnx = await onnxFloatReference(final.graph, referenceSet, env.onnxRuntime);
      env.log(onnx.onnx_note ?? `onnxruntime-web on the float model: same class as Mote's float reference on ${((onnx.onnx_agreement ?? 0) * 100).toFixed(2)} % of ${onnx.onnx_n} test vectors, largest relative difference ${onnx.onnx_max_rel_diff?.toExponential(2)}`);

      const record = runRecord(env.results, final.name, iteration);
      record.config_model = model.name;
      record.train = {
        backend: result.backend.name,
        epochs: model.train ? model.epochs : 0,
        seconds: result.seconds,
        parameters: countParameters(result.graph),
        metrics: {
          ...Object.fromEntries(Object.entries(result.metrics.train?.metrics ?? {}).map(([k, v]) => [`train_${k}`, v])),
          ...Object.fromEntries(Object.entries(test?.metrics ?? {}).map(([k, v]) => [`test_${k}`, v])),
        },
      };
      Object.assign(record, onnx);
      await env.onRecord?.();
      trained.push({ name: model.name, finalName: final.name, iteration, result });
    }
  }
  return trained;
}

function evaluatedSet(set: DataSet, hook: ReturnType<typeof augmentationHook>, seed: number): DataSet {
  const x = set.x instanceof Float32Array ? set.x : Float32Array.from(set.x);
  const out = hook({ x, shape: set.shape, labels: set.labels, count: set.count }, createRng(seed).fork('evaluate'));
  return { x: out.x, shape: out.shape, labels: out.labels, count: out.count };
}

async function postprocess(experiment: Experiment, env: TrainEnvironment, model: Model, iteration: number, trainedGraph: ModelGraph, calibration: DataSet): Promise<PostprocessingResult> {
  if (experiment.postprocessing.length === 0) {
    await saveFinalModel(env.workspace, model.name, iteration, trainedGraph, undefined);
    return { name: model.name, graph: trainedGraph };
  }
  const final = await env.runPostprocessing({
    steps: experiment.postprocessing, graph: trainedGraph, name: model.name, iteration, model, train: detachableSet(calibration), seed: experiment.bench.seed,
  }, {
    signal: env.signal,
    log: env.log,
    onProgress: (step, done, total) => env.onPostprocessing?.(step, done, total),
    // Each step's files as soon as it is done, in the order the steps ran.
    onStep: async (step) => {
      for (const [path, text] of Object.entries(step.exports)) await env.workspace.writeFile(path, text);
      if (step.graph) env.log(`saved ${await saveTrainedModel(env.workspace, step.name, iteration, step.graph)}`);
      env.log(`${step.where} ${step.kind} → ${step.name}`);
    },
  });
  await saveFinalModel(env.workspace, final.name, iteration, final.graph, final.quantization);
  return final;
}
