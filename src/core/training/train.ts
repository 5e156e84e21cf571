// trainModel: the one entry point that trains a ModelGraph with tfjs, in Node (CLI, tests) and in the
// training worker alike. Seeded and reproducible on cpu/wasm (shuffles, dropout masks and augmentations
// draw from forks of `createRng(seed)`), cancellable at any batch (AbortSignal → CancelledError, the
// caller's graph is never modified), with progress events and Qualia's semantics: optimizer/scheduler
// per epoch, train metrics from the training-mode outputs, validation on `valid` (or `test` with
// bench.use_test_as_valid), use_best_epoch, final evaluation of train and test.

import * as tf from '@tensorflow/tfjs-core';
import type { Issue } from '../base/schema';
import { CancelledError, ConfigError, UnsupportedError } from '../base/errors';
import type { ModelGraph } from '../models/graph';
import { graphIO, inferShapes, sizeOf } from '../models/shapes';
import { createRng, restoreRng, type Rng } from '../base/rng';
import { CheckpointError, fingerprintOf, type SavedTensor, type TrainingCheckpoint } from './checkpoint';
import { type BackendInfo, type BackendOptions, selectBackend } from './backend';
import { type ConfusionMatrix, accumulateConfusion, computeMetrics, emptyConfusion, METRIC_NAMES } from './metrics';
import { optimizerKinds } from './optimizer-kinds';
import { type Optimizer, type OptimizerState, optimizerImplementations } from './optimizers';
import { constantLR, type Scheduler, schedulerKinds } from './schedulers';
import { TfGraphModel } from './tf-model';

/** Structurally a DataSet of src/core/data/bundle.ts: samples flat, channels_last, labels as class indices. */
export interface TrainingSet {
  x: Float32Array | Uint8Array;
  shape: number[];
  labels: Int32Array;
}

export interface TrainingData {
  train: TrainingSet;
  valid?: TrainingSet;
  test: TrainingSet;
  classNames?: string[];
}

/** A batch as the augmentation hook sees it; it may modify `x`/`labels` in place or return a new batch
 * (possibly of another sample shape, e.g. MFCC or Crop). `softLabels` (count × classes, e.g. Mixup) replace
 * the one-hot targets of the loss when present; `labels` then hold their argmax for the metrics. */
export interface AugmentBatch {
  x: Float32Array;
  shape: number[];
  labels: Int32Array;
  count: number;
  softLabels?: Float32Array;
}

export type Augment = (batch: AugmentBatch, rng: Rng) => AugmentBatch | void;

/** `optimizer` / `optimizer.scheduler` of a Qualia [[model]]. */
export interface KindConfig {
  kind: string;
  params?: Record<string, unknown>;
}

export type LossName = 'crossentropy' | 'mse';

export interface TrainingProgress {
  phase: 'train' | 'validate' | 'evaluate';
  epoch: number; // 1-based
  epochs: number;
  batch: number; // 1-based within the phase
  batches: number;
  /** Mean loss so far in this phase. */
  loss: number;
  /** Metrics so far in this phase (train: from training-mode outputs). */
  metrics: Record<string, number>;
  lr: number;
  samplesPerSecond: number;
  /** Seconds left for the whole training, from the current rate. */
  etaSeconds: number;
}

export interface SetEvaluation {
  loss: number;
  metrics: Record<string, number>;
  confusion: ConfusionMatrix;
  count: number;
}

export interface EpochRecord {
  epoch: number; // 1-based
  lr: number;
  train: { loss: number; metrics: Record<string, number> };
  valid?: { loss: number; metrics: Record<string, number> };
  seconds: number;
}

export interface TrainOptions {
  graph: ModelGraph;
  data: TrainingData;
  epochs: number;
  batchSize: number;
  /** torch.optim kind and params (Adam, AdamW, SGD), or a ready Optimizer. Default Adam(lr=1e-3). */
  optimizer?: KindConfig | Optimizer;
  /** torch lr_scheduler kind and params (StepLR, MultiStepLR, CosineAnnealingLR, ExponentialLR, SinDescent). */
  scheduler?: KindConfig | Scheduler;
  loss?: LossName;
  /** Metric names to report (Qualia's: prec, rec, f1, acc, avgclsacc). */
  metrics?: readonly string[];
  /** Keep the weights of the best epoch by `checkpointMetric` (Qualia's use_best_epoch). */
  useBestEpoch?: boolean;
  /** Default Qualia's {name: 'val_avgclsacc', mode: 'max'}; names are `val_<metric|loss>` or `train_<metric|loss>`. */
  checkpointMetric?: { name: string; mode: 'max' | 'min' };
  /** Validate on the test set (bench.use_test_as_valid); otherwise on `valid` when present. */
  useTestAsValid?: boolean;
  seed: number;
  /** Training batches go through this hook (data augmentation, `before`/`after` kinds). */
  augment?: Augment;
  /** Evaluation batches (validation, final evaluation) go through this one (Qualia's evaluate = true kinds). */
  evaluationAugment?: Augment;
  signal?: AbortSignal;
  onProgress?: (progress: TrainingProgress) => void;
  /** Minimum milliseconds between two batch progress events (default 200). */
  progressIntervalMs?: number;
  backend?: BackendOptions;
  /** Qualia's `train` flag (default true): false skips training and only evaluates. */
  train?: boolean;
  /** Qualia's `evaluate` flag (default true): false skips the final evaluation. */
  evaluate?: boolean;
  /** Batch size for evaluation passes (default max(batchSize, 256)). */
  evalBatchSize?: number;
  /**
   * Go on from a checkpoint that `onCheckpoint` gave for this same training (model, initial weights, data sizes
   * and labels, settings, seed): the result is the one an uninterrupted training gives. A checkpoint of another
   * training is set aside with a message, and training starts from its first epoch.
   */
  resumeFrom?: TrainingCheckpoint;
  /** Called at the end of each epoch with the state to resume from; the next epoch waits for it to return. */
  onCheckpoint?: (checkpoint: TrainingCheckpoint) => void | Promise<void>;
}

export interface TrainResult {
  graph: ModelGraph;
  history: EpochRecord[];
  /** Final evaluation (inference mode) of each set. */
  metrics: { train?: SetEvaluation; valid?: SetEvaluation; test?: SetEvaluation };
  /** Confusion matrix of the test set, [actual][predicted]. */
  confusion?: ConfusionMatrix;
  /** 1-based epoch whose weights were kept with useBestEpoch. */
  bestEpoch?: number;
  backend: BackendInfo;
  seconds: number;
  messages: string[];
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** The validated params of `config` and its kind's name, checked against `kinds` (descriptors). */
function parseKind<K extends string>(what: string, config: KindConfig, kinds: Record<K, { params: { parse(v: unknown, p: string, i: Issue[]): unknown } }>): [K, any] {
  if (!Object.hasOwn(kinds, config.kind)) throw new UnsupportedError(`${what}.kind '${config.kind}' is not supported by Mote; supported: ${Object.keys(kinds).join(', ')}`);
  const kind = config.kind as K;
  const issues: Issue[] = [];
  const params = kinds[kind].params.parse(config.params ?? {}, `${what}.params`, issues);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new ConfigError(`${what} (${config.kind}): ${errors.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return [kind, params];
}

export function createOptimizer(config: KindConfig | Optimizer | undefined, where = 'optimizer'): Optimizer {
  if (config && 'step' in config) return config;
  const [kind, params] = parseKind(where, config ?? { kind: 'Adam' }, optimizerKinds);
  return optimizerImplementations[kind](params);
}

export function createScheduler(config: KindConfig | Scheduler | undefined, where = 'optimizer.scheduler'): Scheduler {
  if (!config) return constantLR;
  if ('lrAt' in config) return config;
  const [kind, params] = parseKind(where, config, schedulerKinds);
  return schedulerKinds[kind].create(params);
}

function checkSet(name: string, set: TrainingSet, inputShape: number[], classes: number, augmented: boolean): number {
  const size = sizeOf(set.shape);
  if (!augmented && size !== sizeOf(inputShape)) {
    throw new ConfigError(`the ${name} set has samples of shape [${set.shape.join(', ')}] but the model expects [${inputShape.join(', ')}]; check the dataset, the preprocessing or params.input_shape`);
  }
  if (set.x.length !== set.labels.length * size) {
    throw new ConfigError(`the ${name} set holds ${set.x.length} values for ${set.labels.length} labels of ${size} values each`);
  }
  for (let i = 0; i < set.labels.length; i++) {
    const label = set.labels[i];
    if (!(label >= 0 && label < classes)) throw new ConfigError(`the ${name} set has label ${label} at sample ${i}, but the model has ${classes} outputs (labels must be 0…${classes - 1})`);
  }
  return set.labels.length;
}

/** Copies samples `indices[from, to)` of `set` into a float batch. */
function gather(set: TrainingSet, indices: ArrayLike<number>, from: number, to: number): AugmentBatch {
  const size = sizeOf(set.shape);
  const count = to - from;
  const x = new Float32Array(count * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const s = indices[from + i];
    x.set(set.x.subarray(s * size, (s + 1) * size), i * size);
    labels[i] = set.labels[s];
  }
  return { x, shape: set.shape, labels, count };
}

/** Targets of the loss: one-hot class indices, or the batch's soft labels. */
function targetsOf(batch: AugmentBatch, classes: number): tf.Tensor2D {
  if (batch.softLabels) return tf.tensor2d(batch.softLabels, [batch.count, classes]);
  return tf.tidy(() => tf.oneHot(tf.tensor1d(batch.labels, 'int32'), classes) as tf.Tensor2D);
}

function lossOf(name: LossName, logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  if (name === 'mse') return tf.mean(tf.square(tf.sub(logits, targets)));
  return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, targets), 1)));
}

interface Phase { confusion: ConfusionMatrix; lossSum: number; count: number }

export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const started = now();
  const messages: string[] = [];
  const source = inferShapes(options.graph);
  const { input: inputShape, output } = graphIO(source);
  if (output.length !== 1) throw new ConfigError(`model '${source.name}' ends with shape [${output.join(', ')}]; training needs a flat [classes] output`);
  const classes = output[0];
  const loss = options.loss ?? 'crossentropy';
  if (loss !== 'crossentropy' && loss !== 'mse') throw new UnsupportedError(`loss '${loss}' is not supported; use 'crossentropy' or 'mse'`);
  const metricNames = (options.metrics ?? METRIC_NAMES).filter((name) => {
    if ((METRIC_NAMES as readonly string[]).includes(name)) return true;
    messages.push(`metric '${name}' is not computed by Mote (classification metrics: ${METRIC_NAMES.join(', ')})`);
    return false;
  });
  const epochs = options.train === false ? 0 : options.epochs;
  if (!Number.isInteger(epochs) || epochs < 0) throw new ConfigError(`epochs must be a non-negative integer, got ${options.epochs}`);
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new ConfigError(`batch_size must be a positive integer, got ${options.batchSize}`);
  const trainCount = checkSet('train', options.data.train, inputShape, classes, !!options.augment);
  checkSet('test', options.data.test, inputShape, classes, !!options.evaluationAugment);
  if (options.data.valid) checkSet('valid', options.data.valid, inputShape, classes, !!options.evaluationAugment);
  const inputSize = sizeOf(inputShape);
  const checkBatch = (batch: AugmentBatch, where: string): AugmentBatch => {
    if (batch.x.length !== batch.count * inputSize) {
      throw new ConfigError(`after data augmentation, ${where} samples have shape [${batch.shape.join(', ')}] but model '${source.name}' expects [${inputShape.join(', ')}]; check params.input_shape or the augmentations`);
    }
    if (batch.softLabels && batch.softLabels.length !== batch.count * classes) throw new ConfigError(`data augmentation returned ${batch.softLabels.length} soft label values for ${batch.count} samples of ${classes} classes`);
    return batch;
  };
  const validation = options.useTestAsValid ? options.data.test : options.data.valid;
  const checkpoint = options.checkpointMetric ?? { name: 'val_avgclsacc', mode: 'max' as const };
  if (options.useBestEpoch && checkpoint.name.startsWith('val_') && !validation) {
    throw new ConfigError(`use_best_epoch watches '${checkpoint.name}' but there is no validation set; the dataset has no 'valid' split — set bench.use_test_as_valid = true or use a train_ metric`);
  }

  const backend = await selectBackend(options.backend);
  const optimizer = createOptimizer(options.optimizer);
  const ownsOptimizer = optimizer !== options.optimizer;
  const scheduler = createScheduler(options.scheduler);
  const model = await TfGraphModel.create(source);
  const rng = createRng(options.seed);
  let shuffleRng = rng.fork('shuffle');
  let dropoutRng = rng.fork('dropout');
  let augmentRng = rng.fork('augment');
  let evaluationRng = rng.fork('evaluation-augment');
  const fingerprint = trainingFingerprint(source, options, epochs, metricNames);
  const evalBatch = options.evalBatchSize ?? Math.max(options.batchSize, 256);
  const interval = options.progressIntervalMs ?? 200;
  const history: EpochRecord[] = [];
  const batchesPerEpoch = Math.ceil(trainCount / options.batchSize);
  const totalWork = epochs * (trainCount + (validation?.labels.length ?? 0));
  let workDone = 0;
  let lastYield = now();
  let lastProgress = -Infinity;
  let best: { value: number; epoch: number; weights: ModelGraph['weights'] } | undefined;

  const checkCancel = async (): Promise<void> => {
    if (now() - lastYield > 25) {
      await yieldToEventLoop();
      lastYield = now();
    }
    if (options.signal?.aborted) throw new CancelledError(`training of '${source.name}' was cancelled; the model is unchanged`);
  };

  const report = (phase: TrainingProgress['phase'], epoch: number, batch: number, batches: number, state: Phase, lr: number, phaseStart: number, force = false): void => {
    if (!options.onProgress) return;
    const t = now();
    if (!force && t - lastProgress < interval) return;
    lastProgress = t;
    const elapsed = (t - phaseStart) / 1000;
    const rate = elapsed > 0 ? state.count / elapsed : 0;
    const remaining = Math.max(0, totalWork - workDone);
    options.onProgress({
      phase, epoch, epochs, batch, batches, lr,
      loss: state.count ? state.lossSum / state.count : 0,
      metrics: computeMetrics(state.confusion, metricNames),
      samplesPerSecond: rate,
      etaSeconds: phase === 'evaluate' || rate === 0 ? 0 : remaining / rate,
    });
  };

  /** Inference pass over a set: mean loss, metrics, confusion. */
  const evaluateSet = async (set: TrainingSet, phase: 'validate' | 'evaluate', epoch: number, lr: number): Promise<SetEvaluation> => {
    const count = set.labels.length;
    const state: Phase = { confusion: emptyConfusion(classes), lossSum: 0, count: 0 };
    const order = Int32Array.from({ length: count }, (_, i) => i);
    const batches = Math.ceil(count / evalBatch);
    const phaseStart = now();
    for (let b = 0; b < batches; b++) {
      await checkCancel();
      let batch = gather(set, order, b * evalBatch, Math.min(count, (b + 1) * evalBatch));
      if (options.evaluationAugment) batch = checkBatch(options.evaluationAugment(batch, evaluationRng) ?? batch, `the ${phase === 'validate' ? 'validation' : 'evaluation'}`);
      const current = batch;
      const [lossValue, predictions] = tf.tidy(() => {
        const logits = model.forward(model.inputTensor(current.x, current.count), { training: false });
        return [lossOf(loss, logits, targetsOf(current, classes)), tf.argMax(logits, 1)];
      });
      const [lossData, predictionData] = await Promise.all([lossValue.data(), predictions.data()]);
      lossValue.dispose();
      predictions.dispose();
      state.lossSum += lossData[0] * batch.count;
      state.count += batch.count;
      accumulateConfusion(state.confusion, batch.labels, predictionData);
      if (phase === 'validate') workDone += batch.count;
      report(phase, epoch, b + 1, batches, state, lr, phaseStart, b === batches - 1);
    }
    return { loss: state.count ? state.lossSum / state.count : 0, metrics: computeMetrics(state.confusion, metricNames), confusion: state.confusion, count };
  };

  /** Weight key of each variable: optimizer slots are saved by key, since variable names differ per model. */
  const keyOfVariable = new Map(Object.entries(model.variables).map(([key, variable]) => [variable.name, key]));
  const checkpointAt = async (epochsDone: number): Promise<TrainingCheckpoint> => {
    const state = await optimizer.saveState();
    const rename = (name: string) => keyOfVariable.get(name) ?? name;
    return {
      fingerprint, epochsDone, weights: await model.readWeights(),
      optimizer: { ...state, slots: Object.fromEntries(Object.entries(state.slots).map(([name, buffers]) => [rename(name), buffers])), started: state.started.map(rename) },
      rngs: { shuffle: shuffleRng.save(), dropout: dropoutRng.save(), augment: augmentRng.save(), evaluation: evaluationRng.save() },
      history: structuredClone(history), best: best ? { value: best.value, epoch: best.epoch, weights: best.weights } : null, workDone,
    };
  };

  let firstEpoch = 0;
  const saved = options.resumeFrom;
  const setAside = saved && checkpointMismatch(saved, fingerprint, epochs, model.variables);
  if (setAside) messages.push(`the saved checkpoint of '${source.name}' was set aside (${setAside}); trained from the first epoch`);
  if (saved && !setAside) {
    try {
      model.writeWeights(saved.weights);
      const variableOf = (key: string) => model.variables[key]?.name ?? key;
      const state: OptimizerState = { ...saved.optimizer, slots: Object.fromEntries(Object.entries(saved.optimizer.slots).map(([key, b]) => [variableOf(key), b])), started: saved.optimizer.started.map(variableOf) };
      optimizer.loadState(state, model.trainable());
      shuffleRng = restoreRng(saved.rngs.shuffle);
      dropoutRng = restoreRng(saved.rngs.dropout);
      augmentRng = restoreRng(saved.rngs.augment);
      evaluationRng = restoreRng(saved.rngs.evaluation);
    } catch (error) {
      model.dispose();
      if (ownsOptimizer) optimizer.dispose();
      throw new CheckpointError(`the saved checkpoint of '${source.name}' could not be restored (${(error as Error).message}); delete the run's checkpoint or run again`, { cause: error });
    }
    history.push(...(saved.history as EpochRecord[]));
    best = saved.best ?? undefined;
    workDone = saved.workDone;
    firstEpoch = saved.epochsDone;
    messages.push(`resumed '${source.name}' after epoch ${saved.epochsDone} of ${epochs} from its checkpoint`);
  }

  try {
    const trainables = model.trainable();
    for (let epoch = firstEpoch; epoch < epochs; epoch++) {
      const epochStart = now();
      const lr = scheduler.lrAt(epoch, optimizer.baseLr);
      const order = Int32Array.from({ length: trainCount }, (_, i) => i);
      shuffleRng.shuffle(order);
      const state: Phase = { confusion: emptyConfusion(classes), lossSum: 0, count: 0 };
      for (let b = 0; b < batchesPerEpoch; b++) {
        await checkCancel();
        let batch = gather(options.data.train, order, b * options.batchSize, Math.min(trainCount, (b + 1) * options.batchSize));
        if (options.augment) batch = checkBatch(options.augment(batch, augmentRng) ?? batch, 'training');
        const x = model.inputTensor(batch.x, batch.count);
        const targets = targetsOf(batch, classes);
        let predictions: tf.Tensor | undefined;
        const { value, grads } = tf.variableGrads(() => {
          const logits = model.forward(x, { training: true, rng: dropoutRng });
          predictions = tf.keep(tf.argMax(logits, 1));
          return lossOf(loss, logits, targets);
        }, trainables);
        optimizer.step(trainables, grads, lr);
        model.applyStatUpdates();
        tf.dispose([x, targets, ...Object.values(grads)]);
        const [lossData, predictionData] = await Promise.all([value.data(), predictions!.data()]);
        tf.dispose([value, predictions!]);
        if (!Number.isFinite(lossData[0])) {
          throw new ConfigError(`training of '${source.name}' diverged at epoch ${epoch + 1}, batch ${b + 1} (loss is ${lossData[0]}); lower the learning rate (now ${lr}) or check the input scaling`);
        }
        state.lossSum += lossData[0] * batch.count;
        state.count += batch.count;
        workDone += batch.count;
        accumulateConfusion(state.confusion, batch.labels, predictionData);
        report('train', epoch + 1, b + 1, batchesPerEpoch, state, lr, epochStart, b === batchesPerEpoch - 1);
      }
      const record: EpochRecord = { epoch: epoch + 1, lr, train: { loss: state.lossSum / state.count, metrics: computeMetrics(state.confusion, metricNames) }, seconds: 0 };
      if (validation) {
        const v = await evaluateSet(validation, 'validate', epoch + 1, lr);
        record.valid = { loss: v.loss, metrics: v.metrics };
      }
      record.seconds = (now() - epochStart) / 1000;
      history.push(record);
      if (options.useBestEpoch) {
        const value = watched(record, checkpoint.name);
        if (value === undefined) throw new ConfigError(`checkpoint_metric '${checkpoint.name}' is not among the computed metrics (${['loss', ...metricNames].map((m) => `train_${m}, val_${m}`).join(', ')})`);
        if (!best || (checkpoint.mode === 'max' ? value > best.value : value < best.value)) best = { value, epoch: epoch + 1, weights: await model.readWeights() };
      }
      if (options.onCheckpoint) await options.onCheckpoint(await checkpointAt(epoch + 1));
    }
    if (best) model.writeWeights(best.weights);
    const metrics: TrainResult['metrics'] = {};
    if (options.evaluate !== false) {
      const lr = scheduler.lrAt(Math.max(0, epochs - 1), optimizer.baseLr);
      metrics.train = await evaluateSet(options.data.train, 'evaluate', epochs, lr);
      if (options.data.valid) metrics.valid = await evaluateSet(options.data.valid, 'evaluate', epochs, lr);
      metrics.test = await evaluateSet(options.data.test, 'evaluate', epochs, lr);
    }
    const graph = await model.toGraph();
    return { graph, history, metrics, confusion: metrics.test?.confusion, bestEpoch: best?.epoch, backend, seconds: (now() - started) / 1000, messages };
  } finally {
    model.dispose();
    if (ownsOptimizer) optimizer.dispose();
  }
}

/** What makes two trainings the same one: a checkpoint of one resumes only that one. */
function trainingFingerprint(graph: ModelGraph, options: TrainOptions, epochs: number, metricNames: readonly string[]): string {
  const described = (config: unknown) => (config && typeof config === 'object' && ('step' in config || 'lrAt' in config) ? `custom:${(config as { kind?: string }).kind ?? ''}` : JSON.stringify(config ?? null));
  const parts: (string | number | ArrayBufferView)[] = [graph.name, JSON.stringify(graph.layers)];
  for (const [key, tensor] of Object.entries(graph.weights).sort(([a], [b]) => (a < b ? -1 : 1))) parts.push(key, tensor.shape.join('x'), tensor.data);
  parts.push(epochs, options.batchSize, options.seed, described(options.optimizer), described(options.scheduler), options.loss ?? 'crossentropy', metricNames.join(','),
    String(options.useBestEpoch ?? false), JSON.stringify(options.checkpointMetric ?? null), String(options.useTestAsValid ?? false), String(Boolean(options.augment)), String(Boolean(options.evaluationAugment)));
  for (const set of [options.data.train, options.data.valid, options.data.test]) if (set) parts.push(set.shape.join('x'), set.labels);
  return fingerprintOf(parts);
}

/** Why a checkpoint cannot continue this training, or undefined when it can. */
function checkpointMismatch(saved: TrainingCheckpoint, fingerprint: string, epochs: number, variables: Record<string, { shape: number[] }>): string | undefined {
  if (saved.fingerprint !== fingerprint) return 'it was made for another model, data set, seed or settings';
  if (saved.epochsDone > epochs) return `it is after epoch ${saved.epochsDone}, but this training has ${epochs}`;
  const keys = Object.keys(variables);
  const shapeOk = (weights: Record<string, SavedTensor>) => keys.every((k) => weights[k] && weights[k].shape.join('x') === variables[k].shape.join('x') && weights[k].data.length === variables[k].shape.reduce((a, b) => a * b, 1));
  if (Object.keys(saved.weights).length !== keys.length || !shapeOk(saved.weights)) return 'its weights do not fit the model';
  if (saved.best && !shapeOk(saved.best.weights)) return 'its best-epoch weights do not fit the model';
  return undefined;
}

function watched(record: EpochRecord, name: string): number | undefined {
  const [prefix, ...rest] = name.split('_');
  const metric = rest.join('_');
  const side = prefix === 'val' ? record.valid : prefix === 'train' ? record.train : undefined;
  if (!side) return undefined;
  return metric === 'loss' ? side.loss : side.metrics[metric];
}

/** Evaluates a trained graph on a set (inference mode), without training. */
export async function evaluateModel(options: { graph: ModelGraph; set: TrainingSet; loss?: LossName; metrics?: readonly string[]; batchSize?: number; backend?: BackendOptions; signal?: AbortSignal }): Promise<SetEvaluation> {
  const result = await trainModel({
    graph: options.graph, data: { train: { x: new Float32Array(0), shape: options.set.shape, labels: new Int32Array(0) }, test: options.set },
    epochs: 0, batchSize: options.batchSize ?? 256, loss: options.loss, metrics: options.metrics, seed: 0, backend: options.backend, signal: options.signal,
  });
  return result.metrics.test!;
}
