// A Run's model on a physical board that has the Mote Runtime installed (Boards page, after Install): the
// run's runtime-route model is encoded as a blob in the board's dialect, checked against what the board
// holds (refused with both sizes before any byte is sent), loaded over the serial link (protocol 2: LOAD_*),
// then evaluated on the run's test vectors (protocol v1) against the integer reference, and the row
// (accuracy, bit-exact, cycles, ROM = blob, RAM = arena) goes into the run's results.json. The transport part
// (evaluateBlobOverLink) is plain core code, tested in Node against QEMU's runtime image.
import type { BoardKind } from '../../core/deploy/board';
import type { ByteTransport } from '../../core/evaluation/transport';
import type { EvaluationProgress, EvaluationReport } from '../../core/evaluation/evaluator';
import type { RawVector } from '../../core/evaluation/protocol-v1';
import type { DeployJob } from '../../core/pipeline/deploy';
import type { DeployResult } from '../../core/experiments/results';
import type { ExperimentStore, RunRecord } from '../../core/experiments/store';
import type { Experiment } from '../../core/config/experiment';
import type { DataBundle } from '../../core/data/bundle';
import { blobNeeds, runtimeMisfit } from '../../core/deploy/runtime-fit';
import { fitsCapacity } from '../../core/deploy/install-state';
import { ConfigError } from '../../core/base/errors';

export interface LinkEvaluation {
  report: EvaluationReport;
  loadMs: number;
  chunks: number;
}

/** Why the blob cannot go to `board`, with both sizes; null when it fits. */
export function blobMisfit(board: BoardKind, blob: Uint8Array): string | null {
  const declared = runtimeMisfit(board, blob);
  if (declared) return `${declared.charAt(0).toUpperCase()}${declared.slice(1)}.`;
  const needs = blobNeeds(blob);
  return fitsCapacity({ flashBytes: needs.blobBytes, ramBytes: needs.arenaBytes }, board.capacity);
}

/** Loads `blob` into the runtime on the other end of `transport`, then evaluates `vectors` on it. */
export async function evaluateBlobOverLink(options: {
  transport: ByteTransport; blob: Uint8Array; vectors: RawVector[]; labels: Int32Array;
  reference: (vector: unknown, index: number) => ArrayLike<number>;
  onLoad?: (p: { sent: number; total: number }) => void; onProgress?: (p: EvaluationProgress) => void;
  signal?: AbortSignal; frameTimeoutMs?: number;
}): Promise<LinkEvaluation> {
  const [{ loadModelOnBoard }, { evaluateOnBoard }] = await Promise.all([import('../../core/evaluation/model-load'), import('../../core/evaluation/evaluator')]);
  const { blob } = options;
  const crc = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(blob.length - 4, true);
  const loaded = await loadModelOnBoard({ transport: options.transport, blob, onProgress: options.onLoad, signal: options.signal, frameTimeoutMs: options.frameTimeoutMs });
  const report = await evaluateOnBoard({
    transport: options.transport, vectors: options.vectors, labels: options.labels, hello: loaded.hello, expectedModelHash: crc,
    reference: options.reference, frameTimeoutMs: options.frameTimeoutMs ?? 10_000, maxRetries: 4, signal: options.signal, onProgress: options.onProgress,
  });
  return { report, loadMs: loaded.elapsedMs, chunks: loaded.chunks };
}

/** The latest run of the open experiment on the runtime route (converter MoteRuntime) that prepared its model. */
export function latestRuntimeRun(runs: RunRecord[]): RunRecord | undefined {
  const done = runs.filter((r) => r.results && r.stages.some((s) => s.stage === 'prepare_deploy' && s.status === 'completed'));
  return done.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
}

export interface PreparedRuntimeModel {
  experiment: Experiment;
  job: DeployJob;
  blob: Uint8Array;
  macs: number;
  vectors: RawVector[];
  labels: Int32Array;
  reference: (vector: unknown, index: number) => ArrayLike<number>;
  /** Run id, workspace and results, for the row. */
  run: RunRecord;
}

/** The run's first runtime-route model as a blob for `board`'s runtime, with its test vectors; refuses a misfit. */
export async function prepareRuntimeModel(store: ExperimentStore, run: RunRecord, board: BoardKind, loadData: (e: Experiment) => Promise<DataBundle>): Promise<PreparedRuntimeModel> {
  if (!board.runtime) throw new ConfigError(`${board.title} declares no Mote Runtime image, so it cannot load model blobs`);
  if (!run.results) throw new ConfigError('this run has no results.json record: it did not train a model');
  const [{ loadExperiment }, { deployJobs, modelBlobOf, evaluationSet, boardVectors }, { runWorkspace }] = await Promise.all([
    import('../../core/config/load'), import('../../core/pipeline/deploy'), import('../../core/experiments/run-workspace'),
  ]);
  const loaded = loadExperiment(run.toml, { file: 'run.toml' });
  if (!loaded.experiment) throw new ConfigError('the experiment text saved with this run no longer loads; run the experiment again');
  const experiment = loaded.experiment;
  const results = JSON.parse(JSON.stringify(run.results));
  let job: DeployJob | undefined;
  for await (const candidate of deployJobs(experiment, runWorkspace(store, run.id), results)) { if (candidate.route === 'runtime') { job = candidate; break; } }
  if (!job) throw new ConfigError('this run took the generated-C route (converter QualiaCodeGen): a board with the Mote Runtime loads model blobs, so Run with converter.kind = "MoteRuntime" (the default experiment does), then evaluate here');
  const forBoard = { ...job, options: { ...job.options, dialect: board.runtime.dialect } } as DeployJob;
  const { bytes, report } = modelBlobOf(forBoard);
  const misfit = blobMisfit(board, bytes);
  if (misfit) throw new ConfigError(misfit);
  const test = evaluationSet(experiment, await loadData(experiment));
  if (test.count === 0) throw new ConfigError(`the test set of ${experiment.dataset.kind} is empty after deploy.limit; nothing to evaluate`);
  const vectors = boardVectors(job.codegen, test, job.options.longWidth);
  const { reference, outputSize } = vectors;
  return {
    experiment, job: forBoard, blob: bytes, macs: report.macs, vectors: vectors.vectors, labels: test.labels, run,
    reference: (_v, i) => reference.subarray(i * outputSize, (i + 1) * outputSize),
  };
}

/** Writes the board's row into the run's results.json and run record. */
export async function recordRuntimeResult(store: ExperimentStore, model: PreparedRuntimeModel, board: BoardKind, evaluation: LinkEvaluation): Promise<DeployResult> {
  const [{ boardDeployResult }, { putDeployResult, runRecord }, { saveResults }, { runWorkspace }] = await Promise.all([
    import('../../core/pipeline/deploy'), import('../../core/experiments/results'), import('../../core/pipeline/results-store'), import('../../core/experiments/run-workspace'),
  ]);
  const current = await store.getRun(model.run.id);
  const results = JSON.parse(JSON.stringify(current?.results ?? model.run.results));
  const needs = blobNeeds(model.blob);
  const row: DeployResult = {
    ...boardDeployResult(board.kind, model.job, model.macs, evaluation.report, { rom_bytes: needs.blobBytes, ram_bytes: needs.arenaBytes, latencyFromBoardClock: board.reports.latency }),
    route: 'runtime', model_crc: `0x${(evaluation.report.hello.modelHash >>> 0).toString(16).padStart(8, '0')}`, blob_bytes: model.blob.length,
  };
  putDeployResult(runRecord(results, model.job.name, model.job.iteration), row);
  await saveResults(runWorkspace(store, model.run.id), results);
  await store.updateRun(model.run.id, { results });
  return row;
}
