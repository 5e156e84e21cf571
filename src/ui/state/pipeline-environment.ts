// The engine's environment in the browser (src/core/pipeline/engine.ts): the run's artifacts in the store
// as workspace, the data worker keeping the preprocessed data, the training worker (training and
// post-processing: no tfjs backend starts on this thread), and the boards this browser reaches: the Wasm
// virtual board, built by clang in the board worker and run there; onnxruntime-web in the onnx worker as the
// independent float reference. A deploy.target the browser cannot reach is replaced by the first board it
// can, and the engine says so. The Boards page (boards.svelte.ts) reads its test data through the same data environment.
import { InputFileError } from '../../core/base/errors';
import type { Experiment } from '../../core/config/experiment';
import type { BoardEnvironment } from '../../core/deploy/environment';
import { reachableBoards } from '../../core/deploy/registry';
import type { ExperimentStore } from '../../core/experiments/store';
import type { DataEnvironment, PipelineEnvironment } from '../../core/pipeline/engine';
import { dataImport } from './data-import.svelte';

/**
 * The data worker: preprocess_data runs there and keeps the bundle; `load` takes it over (once), after
 * preprocessing again when this page has not (the Boards page after a reload).
 */
export function browserDataEnvironment(): DataEnvironment {
  let kept = false;
  const data: DataEnvironment = {
    async preprocess(experiment, report) {
      const { dataWorker, Comlink } = await import('../../workers/data-client');
      const worker = dataWorker();
      const kind = experiment.dataset.kind;
      if (dataImport.files.length === 0 && (await worker.needsFiles(kind))) {
        throw new InputFileError(`the dataset ${kind} is read from its original files: import them on the Data page (drop the archive or the folder), then try again`);
      }
      report.progress({ stage: `reading ${kind}…`, done: 0, total: 0 });
      const result = await worker.preprocess(
        { dataset: experiment.dataset, preprocessing: experiment.preprocessing, seed: experiment.bench.seed },
        dataImport.files.map(({ path, file }) => ({ path, file })),
        Comlink.proxy((p: { stage: string; done: number; total: number; detail?: string }) => report.progress(p)),
      );
      dataImport.result = result;
      kept = true;
      return result.summary;
    },
    async load(experiment: Experiment) {
      if (!kept) await data.preprocess(experiment, { log: () => undefined, progress: () => undefined });
      kept = false; // the bundle leaves the worker
      const [{ dataWorker }, { fromTransferable }] = await Promise.all([import('../../workers/data-client'), import('../../core/data/bundle')]);
      return fromTransferable(await dataWorker().takeBundle());
    },
  };
  return data;
}

/**
 * Toolchains, transports and runtime executors this browser has, all in the board worker: the Mote Runtime's
 * wasm image (runtime route, no compiler), and clang (wasm32, loaded on first use) with the Wasm board for
 * the generated-C route.
 */
export async function browserBoardEnvironment(): Promise<BoardEnvironment> {
  const { workerWasmToolchain, workerWasmConnector, workerWasmRuntime } = await import('../../workers/board-client');
  return { where: 'browser', toolchains: { wasm: workerWasmToolchain }, transports: { 'wasm-worker': workerWasmConnector }, runtimes: { 'wasm-worker': workerWasmRuntime } };
}

export async function browserPipelineEnvironment(store: ExperimentStore, runId: string, configPath: string): Promise<PipelineEnvironment> {
  const [{ runWorkspace }, { trainInWorker, postprocessInWorker }, boards, { workspaceCheckpoints }, { workerOnnxRuntime }] = await Promise.all([
    import('../../core/experiments/run-workspace'), import('../../workers/training-client'), browserBoardEnvironment(), import('../../core/training/checkpoint-store'),
    import('../../workers/onnx-client'),
  ]);
  return {
    workspace: runWorkspace(store, runId),
    configPath,
    data: browserDataEnvironment(),
    // A checkpoint after every epoch, in the run's artifacts, so that a reload mid-training can resume the run.
    // Post-processing (batch-norm fusion, PTQ calibration) in the same worker, on tfjs WASM as in the CLI.
    trainer: {
      runJob: (job, callbacks) => trainInWorker(job, callbacks),
      runPostprocessing: (job, callbacks) => postprocessInWorker(job, callbacks),
      checkpoints: workspaceCheckpoints(runWorkspace(store, runId)),
    },
    boards,
    fallbackBoard: reachableBoards(boards)[0]?.kind,
    // onnxruntime-web in its own worker: the float reference each trained model is checked against.
    onnxRuntime: workerOnnxRuntime,
  };
}
