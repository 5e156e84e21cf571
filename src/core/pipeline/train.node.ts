// train: for every run first_run..last_run and every enabled [[model]], build the model from its kind,
// train it with tfjs (WASM in Node), save `out/learningmodel/<name>_r<i>.mote`, then run [[postprocessing]]
// in file order (renaming as Qualia does) and keep the final graph — and its fixed-point quantization, if
// any — for prepare_deploy, which may run in another invocation.

import type { Issue } from '../config/schema';
import type { Model } from '../config/experiment';
import { augmentationHook, augmentedShape, prepareAugmentations } from '../augmentation/pipeline';
import type { DataBundle } from '../data/bundle';
import { ConfigError, UnsupportedError } from '../errors';
import type { ModelKind } from '../models/builder';
import { countParameters } from '../models/shapes';
import { modelKinds } from '../models/registry';
import type { PostprocessingKind } from '../postprocessing/types';
import { postprocessingKinds } from '../postprocessing/registry';
import type { QuantizationOutcome } from '../quantization/outcome';
import { createRng } from '../random/rng';
import { pytorch, type PyTorchParams } from '../training/pytorch';
import { trainModel, type TrainResult as TfTrainResult } from '../training/train';
import { saveTrainedModel } from '../training/weights-store';
import type { ActionContext } from './context';
import { enabledModels, runIndices } from './context';
import { loadPreprocessed } from './dataset.node';
import { loadResults, saveResults } from './results-store';
import { runRecord } from './results';
import { saveFinalModel } from './final-model';
import type { Workspace } from './workspace';

function parseWith<T>(schema: { parse(v: unknown, p: string, i: Issue[]): T }, value: unknown, where: string): T {
  const issues: Issue[] = [];
  const parsed = schema.parse(value ?? {}, where, issues);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new ConfigError(errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return parsed;
}

/** Both of Qualia's frameworks train with tfjs; only PyTorch has params. */
function frameworkParams(ctx: ActionContext): PyTorchParams {
  const { kind, params } = ctx.experiment.learningframework;
  return parseWith(pytorch.params, kind === 'PyTorch' ? params : {}, 'learningframework.params');
}

function modelKind(model: Model): ModelKind {
  const kind = (modelKinds as Record<string, ModelKind>)[model.kind];
  if (!kind) throw new UnsupportedError(`model kind '${model.kind}' is not supported by Mote yet; supported: ${Object.keys(modelKinds).join(', ')}`);
  return kind;
}

export async function trainAction(ctx: ActionContext, workspace: Workspace): Promise<void> {
  const { experiment } = ctx;
  const bundle = await loadPreprocessed(experiment);
  const framework = frameworkParams(ctx);
  const augmentations = prepareAugmentations(experiment.data_augmentation);
  const classes = bundle.classNames.length;
  const sourceDtype = bundle.train.x instanceof Uint8Array ? 'uint8' : 'float32';
  const inputShape = augmentedShape(bundle.train.shape, classes, augmentations, 'train');
  const evaluateHook = augmentationHook(augmentations, { classes, sourceDtype, phase: 'evaluate' });
  const data = { train: bundle.train, valid: bundle.valid, test: bundle.test, classNames: bundle.classNames };
  const results = await loadResults(workspace, experiment, ctx.configPath);
  let calibrationSet: DataBundle['train'] | undefined;

  for (const iteration of runIndices(experiment)) {
    for (const model of enabledModels(experiment)) {
      const kind = modelKind(model);
      const seed = (experiment.bench.seed * 100 + iteration) >>> 0;
      const { input_shape, output_shape, quant_params: _quant, ...kindParams } = model.params;
      const graph = kind.build(kindParams, input_shape ?? inputShape, output_shape?.[0] ?? classes, model.name, { rng: createRng(seed).fork(`init:${model.name}`) });
      ctx.log(`run ${iteration} · ${model.name} (${model.kind}, ${countParameters(graph)} parameters)`);

      const initial = model.load ? (await import('../training/weights-store')).loadTrainedModel(workspace, model.name, iteration) : Promise.resolve(graph);
      const trained: TfTrainResult = await trainModel({
        graph: await initial,
        data,
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
        augment: augmentations.length ? augmentationHook(augmentations, { classes, sourceDtype, phase: 'train', acceptsSoftLabels: true }) : undefined,
        evaluationAugment: augmentations.length ? evaluateHook : undefined,
        train: model.train,
        evaluate: model.evaluate,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress?.({ stage: `${p.phase} ${model.name} epoch ${p.epoch}/${p.epochs}`, done: p.batch, total: p.batches, detail: `loss ${p.loss.toFixed(4)}${p.metrics.acc !== undefined ? ` acc ${p.metrics.acc.toFixed(3)}` : ''} ${Math.round(p.samplesPerSecond)}/s` }),
      });
      for (const message of trained.messages) ctx.log(message);
      if (!(model.load && !model.train)) ctx.log(`saved ${await saveTrainedModel(workspace, model.name, iteration, trained.graph)}`);
      const test = trained.metrics.test;
      if (test) ctx.log(`test: ${Object.entries(test.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')} (${test.count} samples, ${trained.backend.name})`);

      // Calibration and QAT see what the model sees at evaluation: the train set after `evaluate = true` augmentations.
      calibrationSet ??= augmentSet(bundle.train, evaluateHook, experiment.bench.seed);
      const final = await postprocess(ctx, workspace, model, iteration, trained.graph, calibrationSet);
      const record = runRecord(results, final.name, iteration);
      record.config_model = model.name;
      record.train = {
        backend: trained.backend.name,
        epochs: model.train ? model.epochs : 0,
        seconds: trained.seconds,
        parameters: countParameters(trained.graph),
        metrics: {
          ...Object.fromEntries(Object.entries(trained.metrics.train?.metrics ?? {}).map(([k, v]) => [`train_${k}`, v])),
          ...Object.fromEntries(Object.entries(test?.metrics ?? {}).map(([k, v]) => [`test_${k}`, v])),
        },
      };
      await saveResults(workspace, results);
    }
  }
}

function augmentSet<T extends { x: Float32Array | Uint8Array; shape: number[]; labels: Int32Array; count: number }>(
  set: T,
  hook: ReturnType<typeof augmentationHook>,
  seed: number,
): T {
  const x = set.x instanceof Float32Array ? set.x : Float32Array.from(set.x);
  const out = hook({ x, shape: set.shape, labels: set.labels, count: set.count }, createRng(seed).fork('evaluate'));
  return { ...set, x: out.x, shape: out.shape, labels: out.labels, count: out.count };
}

interface FinalModel {
  name: string;
  quantization?: QuantizationOutcome;
}

async function postprocess(ctx: ActionContext, workspace: Workspace, model: Model, iteration: number, trainedGraph: TfTrainResult['graph'], calibration: DataBundle['train']): Promise<FinalModel> {
  let graph = trainedGraph;
  let name = model.name;
  let quantization: QuantizationOutcome | undefined;
  for (const [i, step] of ctx.experiment.postprocessing.entries()) {
    const where = `postprocessing[${i}]`;
    const kind = (postprocessingKinds as Record<string, PostprocessingKind>)[step.kind];
    if (!kind) throw new UnsupportedError(`${where}: kind '${step.kind}' is not supported by Mote yet; supported: ${Object.keys(postprocessingKinds).join(', ')}`);
    const output = await kind.run(step.params, {
      graph, name, iteration, model, train: calibration, seed: ctx.experiment.bench.seed, where, log: ctx.log,
      onProgress: (done, total) => ctx.progress?.({ stage: `${where} ${step.kind}`, done, total }),
    });
    for (const [path, text] of Object.entries(output.exports)) await workspace.writeFile(path, text);
    graph = output.graph;
    name = output.name;
    quantization = output.quantization ?? quantization;
    if (step.export) ctx.log(`saved ${await saveTrainedModel(workspace, name, iteration, graph)}`);
    ctx.log(`${where} ${step.kind} → ${name}`);
  }
  await saveFinalModel(workspace, name, iteration, graph, quantization);
  return { name, quantization };
}
