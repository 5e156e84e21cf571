// The one "Run" button: checks the experiment, then runs the engine's actions (src/core/pipeline/engine.ts)
// in the browser's environment (pipeline-environment.ts), showing each action as a stage with its progress
// and recording the run (with its stages) in the store. This file only assembles the environment and
// renders the engine's events. A stage whose module another area has not delivered yet is shown as "not
// available yet" and skipped: never a made-up result.
import type { RunRecord, RunStageRecord } from '../../core/experiments/store';
import { lintExperiment } from '../editor/lint';
import { optionalModules } from './optional-modules';
import { backendStatus } from './backend.svelte';
import type { ExperimentStore } from '../../core/experiments/store';
import type { TrainingProgress } from '../../core/training/train';
import type { Workbench } from './workbench.svelte';
import type { Experiment } from '../../core/config/experiment';
import { boards } from './boards.svelte';
import type { PipelineAction, PipelineEvent, PipelineRun } from '../../core/pipeline/engine';
import { runLockName } from './run-lock';
import type { ModelSummary } from '../../core/models/summary';

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));
}

export interface StageView {
  id: string;
  title: string;
  status: 'waiting' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';
  /** 0..1 when known. */
  progress: number | null;
  message: string;
}

export interface TrainingPoint { epoch: number; loss: number; metric: number | null; valLoss: number | null; valMetric: number | null; lr: number | null }

/** What the Train view says of the last training beyond its curves (kept in the tab that ran it). */
export interface TrainingDetails {
  /** The [[model]] trained, and Qualia's name of the final model. */
  model: string;
  finalName: string;
  /** Which set the validation curve measures: a valid split, the test set (bench.use_test_as_valid), or none. */
  validation: 'valid' | 'test' | null;
  /** The torch lr_scheduler kind when one is set (then the learning-rate curve is shown). */
  scheduler: string | null;
  /** Samples of the test set the final evaluation and the confusion matrix count. */
  testSamples: number | null;
  summary: ModelSummary | null;
}

interface StageDefinition {
  id: 'check' | PipelineAction;
  title: string;
  /** Why the stage cannot run in this build, or undefined when it can. */
  unavailable(): Promise<string | undefined>;
  /** Why the stage does not apply to this experiment (no [deploy] table): shown as skipped. */
  notApplicable?(experiment: Experiment): string | undefined;
}

const noDeploy = (what: string) => (experiment: Experiment) => (experiment.deploy ? undefined : `this experiment has no [deploy] table, so there is nothing to ${what}`);

const STAGES: StageDefinition[] = [
  { id: 'check', title: 'Check the experiment', unavailable: async () => undefined },
  { id: 'preprocess_data', title: 'Load and preprocess data', unavailable: async () => undefined },
  { id: 'train', title: 'Train', unavailable: async () => ((await optionalModules.trainingClient()) ? undefined : 'the training worker is not available yet') },
  { id: 'prepare_deploy', title: 'Quantize and prepare the model', unavailable: async () => undefined, notApplicable: noDeploy('generate') },
  { id: 'deploy_and_evaluate', title: 'Evaluate on a board', unavailable: async () => undefined, notApplicable: noDeploy('evaluate') },
];

/** The experiment as the check stage validated it, or why it cannot run. */
async function checkExperiment(toml: string, file: string): Promise<{ experiment?: Experiment; message: string }> {
  const result = await lintExperiment(toml, file);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${errors.length} problem${errors.length > 1 ? 's' : ''} in the experiment; first: line ${errors[0].line}: ${errors[0].message}`);
  if (!result.schemaChecked) return { message: 'TOML syntax is valid (the schema check is not available in this build yet)' };
  const warnings = result.diagnostics.length;
  return { experiment: result.experiment as Experiment, message: warnings ? `valid, with ${warnings} warning${warnings > 1 ? 's' : ''}` : 'valid' };
}

type Outcome = (runner: Runner, run: PipelineRun, metrics: Record<string, number | null>) => void;

const OUTCOMES: Partial<Record<PipelineAction, Outcome>> = {
  train(runner, run, metrics) {
    const last = run.trained[run.trained.length - 1];
    const backend = last?.result.backend.name;
    runner.backend = backend === 'webgpu' ? 'WebGPU' : backend === 'wasm' ? 'WASM' : backend === 'cpu' ? 'CPU' : null;
    backendStatus.inUse = runner.backend;
    if (!last) return;
    Object.assign(metrics, prefixed('test_', last.result.metrics.test?.metrics ?? {}), { train_seconds: last.result.seconds });
    if (last.result.confusion && run.bundle) runner.confusion = { matrix: last.result.confusion, classNames: run.bundle.classNames };
    runner.curve = last.result.history.map((h) => ({ epoch: h.epoch, loss: h.train.loss, metric: h.train.metrics.acc ?? null, valLoss: h.valid?.loss ?? null, valMetric: h.valid?.metrics.acc ?? null, lr: h.lr }));
    const experiment = runner.checked;
    const model = experiment?.model.find((m) => m.name === last.name);
    const details: TrainingDetails = {
      model: last.name, finalName: last.finalName,
      validation: experiment?.bench.use_test_as_valid ? 'test' : run.bundle?.valid ? 'valid' : null,
      scheduler: model?.optimizer?.scheduler?.kind ?? null,
      testSamples: last.result.metrics.test?.count ?? null,
      summary: null,
    };
    runner.training = details;
    // The layer table is loaded with the summary, not with the page.
    void import('../../core/models/summary').then(({ summarizeModel }) => { if (runner.training === details) runner.training = { ...details, summary: summarizeModel(last.result.graph) }; });
  },
  prepare_deploy(_runner, run, metrics) {
    const first = run.generated[0];
    if (first) Object.assign(metrics, { arena_bytes: first.report.arenaBytes, weight_bytes: first.report.weightBytes, macs: first.report.macs });
  },
  deploy_and_evaluate(_runner, run, metrics) {
    const last = run.evaluations[run.evaluations.length - 1];
    if (!last) return;
    const report = last.evaluation.report;
    if (report && run.bundle) boards.report = { evaluation: report, classNames: run.bundle.classNames, board: run.board?.used };
    Object.assign(metrics, { target_acc: last.evaluation.row.accuracy, target_agreement: last.evaluation.row.agreement });
  },
};

export class Runner {
  stages = $state<StageView[]>(STAGES.map((s) => ({ id: s.id, title: s.title, status: 'waiting', progress: null, message: '' })));
  running = $state(false);
  run = $state<RunRecord | undefined>(undefined);
  backend = $state<string | null>(null);
  curve = $state<TrainingPoint[]>([]);
  samplesPerSecond = $state<number | null>(null);
  etaSeconds = $state<number | null>(null);
  /** Test-set confusion matrix of the last training, with its class names. */
  confusion = $state<{ matrix: number[][]; classNames: string[] } | null>(null);
  training = $state.raw<TrainingDetails | null>(null);
  /** The experiment as this run's check validated it (what the outcomes read: validation set, scheduler). */
  checked: Experiment | undefined;
  private controller: AbortController | undefined;

  constructor(private readonly workbench: Workbench) {}

  /** Live figures of the training stage: stage bar, samples/s, time left, and the curve point of this epoch. */
  progress(p: TrainingProgress, model: string, update: (change: Partial<Pick<StageView, 'progress' | 'message'>>) => void): void {
    const acc = p.metrics.acc ?? null;
    if (p.phase === 'train') {
      this.samplesPerSecond = p.samplesPerSecond;
      this.etaSeconds = p.etaSeconds;
      update({ progress: (p.epoch - 1 + p.batch / p.batches) / p.epochs, message: `${model}: epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}${acc === null ? '' : `, accuracy ${(acc * 100).toFixed(1)} %`}` });
    }
    if (p.phase === 'evaluate') { update({ message: `${model}: final evaluation` }); return; }
    const curve = [...this.curve];
    const point = curve.find((c) => c.epoch === p.epoch) ?? { epoch: p.epoch, loss: p.loss, metric: acc, valLoss: null, valMetric: null, lr: p.lr };
    if (p.phase === 'train') Object.assign(point, { loss: p.loss, metric: acc, lr: p.lr });
    else Object.assign(point, { valLoss: p.loss, valMetric: acc });
    if (!curve.includes(point)) curve.push(point);
    this.curve = curve;
  }

  cancel(): void {
    this.controller?.abort();
  }

  /** Runs the pipeline while holding a Web Lock named after the run, so other tabs (and the next page load) can
   * tell a live run from one interrupted by a reload or a closed tab. */
  async start(): Promise<void> {
    await this.execute(this.lock());
  }

  /**
   * Goes on with a run that a reload or a closed tab interrupted: the same run record and the experiment text it
   * was started with; every stage runs again, and training continues from the last epoch's checkpoint.
   */
  async resume(interrupted: RunRecord): Promise<void> {
    await this.execute(this.lock(), interrupted);
  }

  private lock(): (runId: string, body: () => Promise<void>) => Promise<void> {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    return locks ? (runId, body) => locks.request(runLockName(runId), body) : (_id, body) => body();
  }

  /** The title of a stage by its id (a run record keeps ids). */
  stageTitle(id: string | null): string {
    return STAGES.find((s) => s.id === id)?.title ?? id ?? 'an unknown stage';
  }

  private async execute(hold: (runId: string, body: () => Promise<void>) => Promise<void>, resumed?: RunRecord): Promise<void> {
    const { workbench } = this;
    const experimentRecord = resumed ? workbench.experiments.find((e) => e.id === resumed.experimentId) : workbench.current;
    if (this.running || !experimentRecord || !workbench.store) return;
    await workbench.flush();
    this.running = true;
    this.controller = new AbortController();
    this.curve = [];
    this.stages = STAGES.map((s) => ({ id: s.id, title: s.title, status: 'waiting', progress: null, message: '' }));
    const store = workbench.store;
    const toml = resumed ? resumed.toml : workbench.draft;
    let run: RunRecord;
    try {
      run = resumed
        ? await store.updateRun(resumed.id, { status: 'running', error: null, finishedAt: null, stage: STAGES[0].id, stages: [] })
        : await store.createRun({ experimentId: experimentRecord.id, toml, stage: STAGES[0].id });
    } catch (error) {
      workbench.notify('error', (error as Error).message);
      this.running = false;
      return;
    }
    this.run = run;
    const controller = this.controller;
    await hold(run.id, async () => {
      this.confusion = null;
      this.training = null;
      this.checked = undefined;
      this.samplesPerSecond = null;
      this.etaSeconds = null;
      const outcome = await this.stagesOf(store, run, `${experimentRecord.name}.toml`, toml, controller.signal);
      try {
        this.run = await store.updateRun(run.id, { status: outcome.status, error: outcome.failure, finishedAt: new Date().toISOString() });
      } catch (error) {
        workbench.notify('error', (error as Error).message);
      }
    });
    this.running = false;
    this.etaSeconds = null;
    await workbench.refreshRuns();
  }

  /** The check, then the engine's actions, each rendered as its stage; the run record follows every stage. */
  private async stagesOf(store: ExperimentStore, run: RunRecord, file: string, toml: string, signal: AbortSignal): Promise<{ status: RunRecord['status']; failure: string | null }> {
    const records: RunStageRecord[] = [];
    const metrics: Record<string, number | null> = {};
    let produced: PipelineRun | undefined;
    const view = (id: string) => this.stages.find((s) => s.id === id)!;
    const starts = new Map<string, string>();
    const finish = async (id: string, result: RunStageRecord['status'], message: string): Promise<void> => {
      const stage = view(id);
      stage.status = result;
      stage.message = message;
      records.push({ stage: id, status: result, startedAt: starts.get(id) ?? new Date().toISOString(), finishedAt: new Date().toISOString(), message });
      this.run = await store.updateRun(run.id, { stage: id, stages: [...records], metrics: { ...metrics }, results: produced?.results }).catch(() => this.run);
    };
    // The record names the stage at work, so a run cut short by a reload says where it stopped.
    const begin = (id: string) => { starts.set(id, new Date().toISOString()); view(id).status = 'running'; void store.updateRun(run.id, { stage: id }).then((r) => { this.run = r; }, () => undefined); };
    // Progress crosses from workers asynchronously: one may arrive after the stage ended, and is dropped.
    const update = (id: string) => (change: Partial<Pick<StageView, 'progress' | 'message'>>) => { const stage = view(id); if (stage.status === 'running') Object.assign(stage, change); };
    const skipRest = async (from: number, message: string) => { for (const stage of STAGES.slice(from)) if (view(stage.id).status === 'waiting') await finish(stage.id, 'skipped', message); };

    // Check: the app's own lint (the engine takes a validated experiment).
    begin('check');
    let experiment: Experiment | undefined;
    try {
      const checked = await checkExperiment(toml, file);
      experiment = checked.experiment;
      this.checked = experiment;
      await finish('check', 'completed', checked.message);
    } catch (error) {
      await finish('check', 'failed', (error as Error).message);
      await skipRest(1, 'an earlier stage failed');
      return { status: 'failed', failure: `${STAGES[0].title}: ${(error as Error).message}` };
    }
    if (!experiment) {
      await skipRest(1, 'Not available yet: the schema check, which tells the stages what to run.');
      return { status: 'completed', failure: null };
    }

    // The actions that can run here, in order: up to the first one this build lacks.
    const actions: PipelineAction[] = [];
    for (const [index, stage] of STAGES.entries()) {
      if (index === 0) continue;
      const reason = await stage.unavailable();
      if (reason) {
        await finish(stage.id, 'skipped', `Not available yet: ${reason}.`);
        await skipRest(index + 1, `needs "${stage.title}", which is not available yet`);
        break;
      }
      const notApplicable = stage.notApplicable?.(experiment);
      if (notApplicable) { await finish(stage.id, 'skipped', notApplicable); continue; }
      actions.push(stage.id as PipelineAction);
    }
    const { runPipeline } = await import('../../core/pipeline/engine');
    const { browserPipelineEnvironment } = await import('./pipeline-environment');
    const env = await browserPipelineEnvironment(store, run.id, file);
    let current: PipelineAction | undefined = actions[0];
    let model = '';
    // A board connected on the Boards page stays open during the run; show it again afterwards.
    const previouslyConnected = boards.connected;
    const render = (event: PipelineEvent) => {
      const change = update(event.action);
      switch (event.type) {
        case 'action-start': current = event.action; begin(event.action); break;
        case 'progress': change({ progress: event.update.total ? event.update.done / event.update.total : null, message: event.update.detail ?? event.update.stage }); break;
        case 'model': model = `${event.name} (run ${event.iteration})`; this.curve = []; break;
        case 'training': this.progress(event.progress, model, change); break;
        case 'board': boards.connected = event.title; break;
        case 'action-end': produced = event.run; this.showOutcome(event.action, event.run, metrics); void finish(event.action, 'completed', event.summary); current = actions[actions.indexOf(event.action) + 1]; break;
        default: break;
      }
    };
    try {
      await runPipeline(experiment, actions, env, { signal, onEvent: render });
      return { status: 'completed', failure: null };
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      const cancelled = signal.aborted || (error as Error)?.name === 'CancelledError';
      if (current) await finish(current, cancelled ? 'cancelled' : 'failed', cancelled ? 'cancelled by you' : message);
      await skipRest(1, cancelled ? 'cancelled before this stage' : 'an earlier stage failed');
      return cancelled ? { status: 'cancelled', failure: null } : { status: 'failed', failure: `${STAGES.find((s) => s.id === current)?.title ?? 'Run'}: ${message}` };
    } finally {
      boards.connected = previouslyConnected;
    }
  }

  /** The figures each action leaves on the page: training curve and confusion, code sizes, the board's report. */
  private showOutcome(action: PipelineAction, run: PipelineRun, metrics: Record<string, number | null>): void {
    OUTCOMES[action]?.(this, run, metrics);
  }
}
