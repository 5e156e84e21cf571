// The one engine: runs Qualia's actions (preprocess_data, train, prepare_deploy, deploy_and_evaluate) on an
// experiment, wherever Mote runs. The place supplies an environment — where files go, how data is kept
// between actions, how a model is trained, which toolchains and boards it reaches — and renders the
// events; the CLI (src/cli) and the app (src/ui/state/runner.svelte.ts) do nothing else. The data reload,
// the board choice, evaluation and cancellation live here once.
import { CancelledError, UnsupportedError } from '../base/errors';
import { parseOrThrow } from '../base/schema';
import type { Workspace } from '../base/workspace';
import type { Experiment } from '../config/experiment';
import { unsupportedKinds, type Stage } from '../config/unsupported';
import type { DataBundle } from '../data/bundle';
import type { BoardKind } from '../deploy/board';
import { chooseBoard, type BoardEnvironment, type ReachedBoard, type ReachedRuntime } from '../deploy/environment';
import { boardOf, targetKinds } from '../deploy/registry';
import { putDeployResult, runRecord, type BenchResults, type DeployResult } from '../experiments/results';
import type { TrainingProgress } from '../training/train';
import { deployJobs, deployRoute, deploySection, evaluationSet, formatDeployResult, generateSources, type DeployJob, type DeployRoute, type GeneratedModel } from './deploy';
import { evaluateJob, ModelRefusedError, type JobEvaluation } from './evaluate';
import type { BundleSummary } from './prepare-data';
import { loadResults, saveResults } from './results-store';
import { trainExperiment, type TrainEnvironment, type TrainedModel } from './train';
import type { OnnxRuntime } from '../models/onnx/runtime';

export type PipelineAction = Stage;
export const PIPELINE_ACTIONS: readonly PipelineAction[] = ['preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate'];

export interface ProgressUpdate { stage: string; done: number; total: number; detail?: string }

/** How a place keeps the data between actions: out/data/ on disk (Node), the data worker (browser). */
export interface DataEnvironment {
  /** preprocess_data: import the dataset, run [[preprocessing]] and keep the result; returns its summary. */
  preprocess(experiment: Experiment, report: { log(line: string): void; progress(update: ProgressUpdate): void }): Promise<BundleSummary>;
  /** The data preprocess_data kept (or, where nothing is kept, preprocessed again). Read once per run. */
  load(experiment: Experiment): Promise<DataBundle>;
}

/** How a place trains and post-processes: in process (Node), or in the training worker (browser). */
export type TrainerEnvironment = Pick<TrainEnvironment, 'runJob' | 'runPostprocessing' | 'checkpoints'>;

export interface PipelineEnvironment {
  /** Where Qualia's layout (out/, logs/) is written: the working directory, or a run's artifacts. */
  workspace: Workspace;
  /** The experiment file's name, recorded in results.json. */
  configPath: string;
  data: DataEnvironment;
  trainer: TrainerEnvironment;
  /** Toolchains and board transports available here (deploy/environment.ts). */
  boards: BoardEnvironment;
  /**
   * The board to evaluate on when deploy.target cannot be reached here (the app's Wasm board). Using it is
   * always announced (a `board` event with a notice, and the action's summary); without one, such a target
   * fails with the reason.
   */
  fallbackBoard?: string;
  /**
   * onnxruntime-web (wasm), the independent float reference train checks each final model against
   * (pipeline/onnx-reference.ts). Absent: results.json says it was not measured.
   */
  onnxRuntime?: OnnxRuntime;
}

export type PipelineEvent =
  | { type: 'action-start'; action: PipelineAction }
  /** `summary` is one line saying what the action did, for a stage list; `run` is everything produced so far. */
  | { type: 'action-end'; action: PipelineAction; summary: string; run: PipelineRun }
  | { type: 'log'; action: PipelineAction; line: string }
  | { type: 'progress'; action: PipelineAction; update: ProgressUpdate }
  | { type: 'model'; action: PipelineAction; name: string; iteration: number }
  | { type: 'training'; action: PipelineAction; model: string; progress: TrainingProgress }
  /** The board deploy_and_evaluate uses; `notice` says why when it is not deploy.target. */
  | { type: 'board'; action: PipelineAction; requested: string; used: string; title: string; notice?: string }
  | { type: 'evaluation'; action: PipelineAction; job: DeployJob; evaluation: JobEvaluation };

export interface PipelineOptions {
  signal?: AbortSignal;
  onEvent?: (event: PipelineEvent) => void;
}

/** What a run produced so far; runPipeline returns it (and it is complete up to a failed action). */
export interface PipelineRun {
  results?: BenchResults;
  /** The data of this run, loaded once (train and deploy_and_evaluate share it). */
  bundle?: DataBundle;
  summary?: BundleSummary;
  trained: TrainedModel[];
  generated: GeneratedModel[];
  evaluations: { job: DeployJob; evaluation: JobEvaluation }[];
  board?: { requested: string; used: string; notice?: string };
}

interface ActionRun {
  experiment: Experiment;
  env: PipelineEnvironment;
  run: PipelineRun;
  signal?: AbortSignal;
  emit: (event: DistributiveOmit<PipelineEvent, 'action'>) => void;
  log: (line: string) => void;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export async function runPipeline(experiment: Experiment, actions: readonly PipelineAction[], env: PipelineEnvironment, options: PipelineOptions = {}): Promise<PipelineRun> {
  const run: PipelineRun = { trained: [], generated: [], evaluations: [] };
  for (const action of actions) {
    throwIfCancelled(options.signal);
    // A target Mote lacks is announced and replaced where a fallback board exists, so only it is tolerated.
    const unsupported = unsupportedKinds(experiment, action, undefined, { tolerate: env.fallbackBoard ? ['target'] : [] });
    if (unsupported.length) throw new UnsupportedError(unsupported.join('\n'));
    const emit = (event: DistributiveOmit<PipelineEvent, 'action'>) => options.onEvent?.({ ...event, action } as PipelineEvent);
    const context: ActionRun = { experiment, env, run, signal: options.signal, emit, log: (line) => emit({ type: 'log', line }) };
    emit({ type: 'action-start' });
    const summary = await ACTIONS[action](context);
    emit({ type: 'action-end', summary, run });
  }
  return run;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('cancelled');
}

const ACTIONS: Record<PipelineAction, (context: ActionRun) => Promise<string>> = {
  preprocess_data: preprocessData,
  train,
  prepare_deploy: prepareDeploy,
  deploy_and_evaluate: deployAndEvaluate,
};

/** The run's data, loaded once: preprocess_data's result, or what an earlier run kept. */
async function bundleOf(context: ActionRun): Promise<DataBundle> {
  context.run.bundle ??= await context.env.data.load(context.experiment);
  return context.run.bundle;
}

async function resultsOf(context: ActionRun): Promise<BenchResults> {
  context.run.results ??= await loadResults(context.env.workspace, context.experiment, context.env.configPath);
  return context.run.results;
}

async function preprocessData(context: ActionRun): Promise<string> {
  const summary = await context.env.data.preprocess(context.experiment, { log: context.log, progress: (update) => context.emit({ type: 'progress', update }) });
  context.run.summary = summary;
  context.run.bundle = undefined; // the new data replaces any loaded before
  const sizes = summary.sets.map((set) => `${set.set} ${set.count}`).join(', ');
  return `${summary.name}: ${sizes}; ${summary.classNames.length} classes; sample shape [${summary.sets[0]?.shape.join(', ')}]`;
}

async function train(context: ActionRun): Promise<string> {
  const { experiment, env, run } = context;
  const bundle = await bundleOf(context);
  const results = await resultsOf(context);
  const trained = await trainExperiment(experiment, bundle, {
    workspace: env.workspace,
    results,
    runJob: env.trainer.runJob,
    runPostprocessing: env.trainer.runPostprocessing,
    checkpoints: env.trainer.checkpoints,
    onnxRuntime: env.onnxRuntime,
    log: context.log,
    signal: context.signal,
    onModel: (name, iteration) => context.emit({ type: 'model', name, iteration }),
    onTrainingProgress: (model, progress) => context.emit({ type: 'training', model, progress }),
    onPostprocessing: (stage, done, total) => context.emit({ type: 'progress', update: { stage, done, total } }),
    onRecord: () => saveResults(env.workspace, results),
  });
  run.trained.push(...trained);
  await saveResults(env.workspace, results);
  const last = trained[trained.length - 1];
  const backend = last?.result.backend.name ?? 'none';
  const accuracy = last?.result.metrics.test?.metrics.acc;
  // Backend choices and fallbacks (e.g. "training on webgpu failed …; trained again on wasm") are part of the result.
  const notes = [...new Set(trained.flatMap((t) => t.result.messages))];
  return `${trained.length} model${trained.length === 1 ? '' : 's'} trained on ${backend}${accuracy === undefined ? '' : `; test accuracy ${(accuracy * 100).toFixed(2)} %`}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}

/** The board deploy.target names, or undefined for a Qualia target Mote lacks (tolerated only with a fallback). */
function targetBoard(target: string, env: PipelineEnvironment): BoardKind | undefined {
  const board = (targetKinds as Record<string, BoardKind>)[target];
  if (!board && !env.fallbackBoard) boardOf(target); // throws the error naming the boards Mote has
  return board;
}

async function prepareDeploy(context: ActionRun): Promise<string> {
  const { experiment, env, run } = context;
  targetBoard(deploySection(experiment).target, env);
  const results = await resultsOf(context);
  const generated = await generateSources(experiment, env.workspace, results, context.log);
  run.generated.push(...generated);
  await saveResults(env.workspace, results);
  return generated.map((g) => `${g.dir}/: ${g.files.length} files, arena ${g.report.arenaBytes} B, weights ${g.report.weightBytes} B, ${g.report.macs} MACs`).join('; ');
}

type Reached = (ReachedBoard | ReachedRuntime) & { ok: true };

/**
 * deploy.target when this environment reaches it on the experiment's route (its toolchain and transport for
 * generated C, its runtime executor for a model blob), else the fallback board with the sentence that says so.
 */
function boardToUse(target: string, env: PipelineEnvironment, route: DeployRoute): { reached: Reached; notice?: string } {
  const requested = targetBoard(target, env);
  const fallback = env.fallbackBoard === undefined ? undefined : boardOf(env.fallbackBoard);
  if (!requested) {
    const chosen = chooseBoard(fallback!, env.boards, undefined, route);
    if (!chosen.reached.ok) throw new UnsupportedError(`deploy.target '${target}' is not supported by Mote yet, and the board used instead cannot run here either: ${chosen.reached.reason}`);
    return { reached: chosen.reached, notice: `used board ${fallback!.kind} because deploy.target '${target}' is not supported by Mote yet` };
  }
  const chosen = chooseBoard(requested, env.boards, fallback, route);
  if (!chosen.reached.ok) throw new UnsupportedError(chosen.reached.reason);
  return chosen as { reached: Reached; notice?: string };
}

async function deployAndEvaluate(context: ActionRun): Promise<string> {
  const { experiment, env, run } = context;
  const deploy = deploySection(experiment);
  const { reached, notice } = boardToUse(deploy.target, env, deployRoute(experiment));
  const board = reached.board;
  run.board = { requested: deploy.target, used: board.kind, notice };
  context.emit({ type: 'board', requested: deploy.target, used: board.kind, title: board.title, notice });
  if (notice) context.log(notice);
  // The config loader has checked both tables against deploy.target; parsing again fills the board's
  // defaults. A board used instead of the target gets its own defaults: the target's params are not its own.
  const own = board.kind === deploy.target;
  const evaluator = parseOrThrow(board.evaluatorParams, own ? deploy.evaluator.params : {}, 'deploy.evaluator.params') as Record<string, unknown>;
  const deployer = parseOrThrow(board.params, own ? deploy.deployer.params : {}, 'deploy.deployer.params') as Record<string, unknown>;
  const test = evaluationSet(experiment, await bundleOf(context), { shuffle: board.shuffle(evaluator as never) });
  if (test.count === 0) throw new UnsupportedError(`the test set of ${experiment.dataset.kind} is empty${deploy.limit === undefined ? '' : ' after deploy.limit'}; nothing to evaluate`);
  const results = await resultsOf(context);

  const lines: string[] = [];
  for await (const job of deployJobs(experiment, env.workspace, results)) {
    throwIfCancelled(context.signal);
    const label = `${job.name}_r${job.iteration} ${job.quantize}${job.optimize ? ` (${job.optimize})` : ''}`;
    context.log(`${board.kind}: evaluating ${label} on ${test.count} vectors${'executor' in reached ? ` (runtime route: model blob on the Mote Runtime through ${reached.executor.kind})` : ''}`);
    const evaluation = await evaluateJob({
      reached, job, test, workspace: env.workspace, deployer, evaluator, log: context.log, signal: context.signal, transports: env.boards.transports,
      onBuild: () => context.emit({ type: 'progress', update: { stage: `${board.kind} build`, done: 0, total: 0, detail: `${label}: building the firmware with ${'toolchain' in reached ? reached.toolchain.kind : 'no toolchain'}…` } }),
      onProgress: (done, total) => context.emit({ type: 'progress', update: { stage: `${board.kind} evaluate`, done, total, detail: label } }),
    }).catch(async (error: unknown) => {
      // A refused model: its row says why (and the sizes) instead of staying prepare_deploy's empty one; the stage still fails.
      if (error instanceof ModelRefusedError) { putDeployResult(runRecord(results, job.name, job.iteration), error.row); await saveResults(env.workspace, results); }
      throw error;
    });
    putDeployResult(runRecord(results, job.name, job.iteration), evaluation.row);
    await saveResults(env.workspace, results);
    context.log(formatDeployResult(evaluation.row));
    run.evaluations.push({ job, evaluation });
    context.emit({ type: 'evaluation', job, evaluation });
    lines.push(`${job.name} ${job.quantize} on the ${board.kind} board: ${evaluationSentence(evaluation.row)}`);
  }
  return [notice, ...lines].filter((line) => line !== undefined).join('; ');
}

function evaluationSentence(row: DeployResult): string {
  const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)} %`);
  const agreement = row.bit_exact === null
    ? `agreement ${pct(row.agreement)}`
    : row.bit_exact ? 'bit-exact' : `${Math.round((1 - (row.agreement ?? 0)) * (row.n ?? 0))} of ${row.n} vectors differ from the reference`;
  return `accuracy ${pct(row.accuracy)} (reference ${pct(row.reference_accuracy)}), ${agreement}, ${row.n} vectors`;
}
