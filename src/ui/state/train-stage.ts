// The train stage of the app's Run: for every run index and enabled [[model]], build the model from its kind
// and train it in the training worker, with Qualia's semantics as the CLI's train action applies them
// (framework params, optimizer/scheduler, seeds, augmentations). Trained weights are saved as run artifacts
// under Qualia's out/learningmodel/ names. Postprocessing (FuseBatchNorm, QAT) belongs to the next stage.
//
// This mirrors src/core/pipeline/train.node.ts, whose train action reads its data from disk; once that
// action takes its bundle and trainer as arguments, this file should call it instead.
import type { Experiment } from '../../core/config/experiment';
import type { Issue } from '../../core/config/schema';
import type { DataBundle } from '../../core/data/bundle';
import { ConfigError, UnsupportedError } from '../../core/errors';
import type { Workspace } from '../../core/pipeline/workspace';
import type { TrainResult, TrainingProgress } from '../../core/training/train';
import type { PostprocessingKind } from '../../core/postprocessing/types';

export interface TrainedModel {
  /** The [[model]] name. */
  name: string;
  /** The name after [[postprocessing]] renames (Qualia's `_fused`, `_q8_…` suffixes). */
  finalName: string;
  iteration: number;
  result: TrainResult;
}

export interface TrainStageOptions {
  signal: AbortSignal;
  workspace: Workspace;
  onModel(name: string, iteration: number): void;
  onProgress(progress: TrainingProgress): void;
  onPostprocessing(step: string, done: number, total: number): void;
  log(line: string): void;
}

function parseWith<T>(schema: { parse(v: unknown, p: string, i: Issue[]): T }, value: unknown, where: string): T {
  const issues: Issue[] = [];
  const parsed = schema.parse(value ?? {}, where, issues);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new ConfigError(errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return parsed;
}

function copySet<T extends { x: Float32Array | Uint8Array; shape: number[]; labels: Int32Array }>(set: T) {
  return { x: set.x.slice(), shape: [...set.shape], labels: set.labels.slice() };
}

/**
 * Post-processing (batch-norm fusion, PTQ calibration) runs tfjs on this thread: give it the same WASM backend
 * as the CLI (so calibration ranges match), with the .wasm files Vite emits, instead of letting tfjs probe.
 */
async function prepareMainThreadBackend(): Promise<void> {
  const [{ selectBackend }, plain, simd, threaded] = await Promise.all([
    import('../../core/training/backend'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url'),
    import('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url'),
  ]);
  await selectBackend({
    order: ['wasm', 'cpu'],
    wasmPaths: { 'tfjs-backend-wasm.wasm': plain.default, 'tfjs-backend-wasm-simd.wasm': simd.default, 'tfjs-backend-wasm-threaded-simd.wasm': threaded.default },
  });
}

export async function trainModels(experiment: Experiment, bundle: DataBundle, options: TrainStageOptions): Promise<TrainedModel[]> {
  const [{ modelKinds }, { pytorch }, { createRng }, { prepareAugmentations, augmentedShape }, { trainInWorker }, { saveTrainedModel }, { enabledModels, runIndices }, { postprocessingKinds }, { saveFinalModel }] = await Promise.all([
    import('../../core/models/registry'),
    import('../../core/training/pytorch'),
    import('../../core/random/rng'),
    import('../../core/augmentation/pipeline'),
    import('../../workers/training-client'),
    import('../../core/training/weights-store'),
    import('../../core/pipeline/context'),
    import('../../core/postprocessing/registry'),
    import('../../core/pipeline/final-model'),
  ]);
  const { kind: frameworkKind, params: frameworkInput } = experiment.learningframework;
  const framework = parseWith(pytorch.params, frameworkKind === 'PyTorch' ? frameworkInput : {}, 'learningframework.params');
  const augmentations = prepareAugmentations(experiment.data_augmentation);
  const classes = bundle.classNames.length;
  const inputShape = augmentedShape(bundle.train.shape, classes, augmentations, 'train');
  const trained: TrainedModel[] = [];
  if (experiment.postprocessing.length) await prepareMainThreadBackend();

  for (const iteration of runIndices(experiment)) {
    for (const model of enabledModels(experiment)) {
      const kind = (modelKinds as Record<string, (typeof modelKinds)[keyof typeof modelKinds]>)[model.kind];
      if (!kind) throw new UnsupportedError(`model kind '${model.kind}' is not supported by Mote yet; supported: ${Object.keys(modelKinds).join(', ')}`);
      if (model.load) throw new UnsupportedError(`${model.name}: load = true reads weights saved by an earlier run, which the app does not do yet; set load = false or use the mote CLI`);
      const seed = (experiment.bench.seed * 100 + iteration) >>> 0;
      const { input_shape, output_shape, quant_params: _quant, ...kindParams } = model.params;
      const graph = (kind.build as (p: unknown, shape: number[], classes: number, name: string, o: { rng: unknown }) => TrainResult['graph'])(
        kindParams, input_shape ?? inputShape, output_shape?.[0] ?? classes, model.name, { rng: createRng(seed).fork(`init:${model.name}`) });
      options.onModel(model.name, iteration);
      const result = await trainInWorker({
        graph,
        data: { train: copySet(bundle.train), valid: bundle.valid && copySet(bundle.valid), test: copySet(bundle.test), classNames: bundle.classNames },
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
        sourceDtype: bundle.train.x instanceof Uint8Array ? 'uint8' : 'float32',
        train: model.train,
        evaluate: model.evaluate,
      }, { signal: options.signal, onProgress: options.onProgress });
      await saveTrainedModel(options.workspace, model.name, iteration, result.graph);

      // [[postprocessing]] in file order (FuseBatchNorm, QAT / post-training calibration), renaming as Qualia does.
      let graph2 = result.graph;
      let finalName = model.name;
      let quantization: Parameters<typeof saveFinalModel>[4];
      for (const [i, step] of experiment.postprocessing.entries()) {
        const where = `postprocessing[${i}]`;
        const postKind = (postprocessingKinds as Record<string, PostprocessingKind>)[step.kind];
        if (!postKind) throw new UnsupportedError(`${where}: kind '${step.kind}' is not supported by Mote yet; supported: ${Object.keys(postprocessingKinds).join(', ')}`);
        const output = await postKind.run(step.params, {
          graph: graph2, name: finalName, iteration, model, train: bundle.train, where, log: options.log,
          onProgress: (done, total) => options.onPostprocessing(`${step.kind}`, done, total),
        });
        for (const [path, text] of Object.entries(output.exports)) await options.workspace.writeFile(path, text);
        graph2 = output.graph;
        finalName = output.name;
        quantization = output.quantization ?? quantization;
        if (step.export) await saveTrainedModel(options.workspace, finalName, iteration, graph2);
      }
      await saveFinalModel(options.workspace, finalName, iteration, graph2, quantization);
      trained.push({ name: model.name, finalName, iteration, result });
    }
  }
  return trained;
}
