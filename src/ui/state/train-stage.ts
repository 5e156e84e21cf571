// The train stage of the app's Run: the same trainExperiment as the CLI (src/core/pipeline/train.ts), with
// each model trained in the training worker and [[postprocessing]] on this thread. Trained weights and the
// final graph are saved as run artifacts under Qualia's out/learningmodel/ names.
import type { Experiment } from '../../core/config/experiment';
import type { DataBundle } from '../../core/data/bundle';
import type { BenchResults } from '../../core/experiments/results';
import type { TrainedModel } from '../../core/pipeline/train';
import type { Workspace } from '../../core/base/workspace';
import type { TrainingProgress } from '../../core/training/train';

export type { TrainedModel };

export interface TrainStageOptions {
  signal: AbortSignal;
  workspace: Workspace;
  results: BenchResults;
  onModel(name: string, iteration: number): void;
  onProgress(progress: TrainingProgress): void;
  onPostprocessing(step: string, done: number, total: number): void;
  log(line: string): void;
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
  const [{ trainExperiment }, { trainInWorker }] = await Promise.all([import('../../core/pipeline/train'), import('../../workers/training-client')]);
  return trainExperiment(experiment, bundle, {
    workspace: options.workspace,
    results: options.results,
    runJob: (job, callbacks) => trainInWorker(job, callbacks),
    log: options.log,
    signal: options.signal,
    onModel: options.onModel,
    onTrainingProgress: (_name, progress) => options.onProgress(progress),
    onPostprocessing: options.onPostprocessing,
    beforePostprocessing: prepareMainThreadBackend,
  });
}
