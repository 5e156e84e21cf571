// The one "Run" button: goes through every pipeline stage that exists in this build, in order, showing each
// stage's progress and recording the run (with its stages) in the store. A stage whose module another area
// has not delivered yet is shown as "not available yet" and skipped: never a made-up result.
import type { RunRecord, RunStageRecord } from '../../core/experiments/store';
import { lintExperiment } from '../editor/lint';
import { optionalModules } from './optional-modules';
import { backendStatus } from './backend.svelte';
import type { ExperimentStore } from '../../core/experiments/store';
import type { BenchResults } from '../../core/experiments/results';
import type { TrainingProgress } from '../../core/training/train';

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}${k}`, v]));
}
import type { Workbench } from './workbench.svelte';
import type { Experiment } from '../../core/config/experiment';
import { dataImport } from './data-import.svelte';
import { boards } from './boards.svelte';
import type { DataBundle } from '../../core/data/bundle';
import type { GeneratedModel } from './deploy-stage';
import { runLockName } from './run-lock';

export interface StageView {
  id: string;
  title: string;
  status: 'waiting' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';
  /** 0..1 when known. */
  progress: number | null;
  message: string;
}

export interface TrainingPoint { epoch: number; loss: number; metric: number | null; valLoss: number | null; valMetric: number | null }

interface StageContext {
  toml: string;
  file: string;
  experiment: unknown;
  signal: AbortSignal;
  runner: Runner;
  store: ExperimentStore;
  runId: string;
  /** Headline figures gathered so far; saved in the run record after every stage. */
  metrics: Record<string, number | null>;
  results: BenchResults | null;
  /** The preprocessed data of this run (for the board's test vectors). */
  bundle: DataBundle | null;
  generated: GeneratedModel[];
  update(change: Partial<Pick<StageView, 'progress' | 'message'>>): void;
}

interface StageDefinition {
  id: string;
  title: string;
  /** Why the stage cannot run in this build, or undefined when it can. */
  unavailable(): Promise<string | undefined>;
  run(context: StageContext): Promise<string>;
}

/** Thrown by a stage that does not apply to this experiment (no [deploy] table): shown as skipped. */
class StageNotApplicable extends Error {}

const STAGES: StageDefinition[] = [
  {
    id: 'check',
    title: 'Check the experiment',
    unavailable: async () => undefined,
    async run(context) {
      const result = await lintExperiment(context.toml, context.file);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (errors.length) throw new Error(`${errors.length} problem${errors.length > 1 ? 's' : ''} in the experiment; first: line ${errors[0].line}: ${errors[0].message}`);
      if (!result.schemaChecked) return 'TOML syntax is valid (the schema check is not available in this build yet)';
      context.experiment = result.experiment;
      const warnings = result.diagnostics.length;
      return warnings ? `valid, with ${warnings} warning${warnings > 1 ? 's' : ''}` : 'valid';
    },
  },
  {
    id: 'preprocess_data',
    title: 'Load and preprocess data',
    unavailable: async () => undefined,
    async run(context) {
      const experiment = context.experiment as Experiment | undefined;
      if (!experiment) throw new Error('the experiment has not been validated, so its dataset is unknown');
      const { dataWorker, Comlink } = await import('../../workers/data-client');
      const worker = dataWorker();
      const kind = experiment.dataset.kind;
      if (dataImport.files.length === 0 && (await worker.needsFiles(kind))) {
        throw new Error(`the dataset ${kind} is read from its original files: import them on the Data page (drop the archive or the folder), then run again`);
      }
      context.update({ message: `reading ${kind}…` });
      const result = await worker.preprocess(
        { dataset: experiment.dataset, preprocessing: experiment.preprocessing, seed: experiment.bench.seed },
        dataImport.files.map(({ path, file }) => ({ path, file })),
        Comlink.proxy((p: { stage: string; done: number; total: number; detail?: string }) => { context.update({ progress: p.total ? p.done / p.total : null, message: p.detail ?? p.stage }); }),
      );
      dataImport.result = result;
      const sizes = result.summary.sets.map((set) => `${set.set} ${set.count}`).join(', ');
      return `${result.summary.name}: ${sizes}; ${result.summary.classNames.length} classes; sample shape [${result.summary.sets[0]?.shape.join(', ')}]`;
    },
  },
  {
    id: 'train',
    title: 'Train',
    unavailable: async () => ((await optionalModules.trainingClient()) ? undefined : 'the training worker is not available yet'),
    async run(context) {
      const experiment = context.experiment as Experiment | undefined;
      if (!experiment) throw new Error('the experiment has not been validated');
      const [{ dataWorker }, { fromTransferable }, { trainModels }, { runWorkspace }, { emptyResults }] = await Promise.all([
        import('../../workers/data-client'), import('../../core/data/bundle'), import('./train-stage'), import('../../core/experiments/run-workspace'), import('../../core/experiments/results'),
      ]);
      const { runner } = context;
      const bundle = fromTransferable(await dataWorker().takeBundle());
      context.bundle = bundle;
      context.update({ message: 'starting the training backend…' });
      let current = '';
      const results = emptyResults(experiment.bench.name, context.file);
      const trained = await trainModels(experiment, bundle, {
        signal: context.signal,
        workspace: runWorkspace(context.store, context.runId),
        results,
        onModel: (name, iteration) => { current = `${name} (run ${iteration})`; runner.curve = []; },
        onProgress: (p) => runner.progress(p, current, context),
        onPostprocessing: (step, done, total) => context.update({ progress: total ? done / total : null, message: `${current}: ${step}` }),
        log: () => undefined,
      });
      const backend = trained[trained.length - 1]?.result.backend ?? { name: 'none' };
      runner.backend = backend.name === 'webgpu' ? 'WebGPU' : backend.name === 'wasm' ? 'WASM' : backend.name === 'cpu' ? 'CPU' : null;
      backendStatus.inUse = runner.backend;
      context.results = results;
      const { saveResults } = await import('../../core/pipeline/results-store');
      await saveResults(runWorkspace(context.store, context.runId), results);
      const last = trained[trained.length - 1];
      if (last) {
        Object.assign(context.metrics, prefixed('test_', last.result.metrics.test?.metrics ?? {}), { train_seconds: last.result.seconds });
        if (last.result.confusion) runner.confusion = { matrix: last.result.confusion, classNames: bundle.classNames };
        runner.curve = last.result.history.map((h) => ({ epoch: h.epoch, loss: h.train.loss, metric: h.train.metrics.acc ?? null, valLoss: h.valid?.loss ?? null, valMetric: h.valid?.metrics.acc ?? null }));
      }
      const acc = last?.result.metrics.test?.metrics.acc;
      // Backend choices and fallbacks (e.g. "training on webgpu failed …; trained again on wasm") belong in view.
      const notes = [...new Set(trained.flatMap((t) => t.result.messages))];
      return `${trained.length} model${trained.length === 1 ? '' : 's'} trained on ${backend.name}${acc === undefined ? '' : `; test accuracy ${(acc * 100).toFixed(2)} %`}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    },
  },
  {
    id: 'prepare_deploy',
    title: 'Quantize and generate C',
    unavailable: async () => undefined,
    async run(context) {
      const experiment = context.experiment as Experiment | undefined;
      if (experiment && !experiment.deploy) throw new StageNotApplicable('this experiment has no [deploy] table, so there is nothing to generate');
      if (!experiment || !context.results) throw new Error('no trained model: the train stage did not complete');
      const [{ prepareDeploy }, { runWorkspace }, { saveResults }] = await Promise.all([
        import('./deploy-stage'), import('../../core/experiments/run-workspace'), import('../../core/pipeline/results-store'),
      ]);
      const workspace = runWorkspace(context.store, context.runId);
      context.update({ message: 'generating C…' });
      const generated = await prepareDeploy(experiment, workspace, context.results);
      context.generated = generated;
      await saveResults(workspace, context.results);
      const first = generated[0];
      if (first) Object.assign(context.metrics, { arena_bytes: first.report.arenaBytes, weight_bytes: first.report.weightBytes, macs: first.report.macs });
      return generated.map((g) => `${g.dir}/: ${g.files.length} files, arena ${g.report.arenaBytes} B, weights ${g.report.weightBytes} B, ${g.report.macs} MACs`).join('; ');
    },
  },
  {
    id: 'deploy_and_evaluate',
    title: 'Evaluate on the virtual board',
    unavailable: async () => undefined,
    async run(context) {
      const experiment = context.experiment as Experiment | undefined;
      if (experiment && !experiment.deploy) throw new StageNotApplicable('this experiment has no [deploy] table, so there is nothing to evaluate');
      if (!experiment || !context.results || !context.bundle || context.generated.length === 0) throw new Error('no generated model: the previous stage did not complete');
      const [{ evaluateOnVirtualBoard }, { runWorkspace }, { saveResults }] = await Promise.all([
        import('./deploy-stage'), import('../../core/experiments/run-workspace'), import('../../core/pipeline/results-store'),
      ]);
      const workspace = runWorkspace(context.store, context.runId);
      // A board connected on the Boards page stays open during the run; show it again afterwards.
      const previouslyConnected = boards.connected;
      boards.connected = 'Wasm virtual board';
      try {
        const evaluations = await evaluateOnVirtualBoard(experiment, workspace, context.results, context.generated, context.bundle, {
          signal: context.signal,
          onProgress: (model, phase, done, total) => context.update({
            progress: phase === 'build' ? null : total ? done / total : null,
            message: phase === 'build' ? `${model.name} ${model.quantize}: compiling the C to WebAssembly (the compiler loads once, ~100 MB)…` : `${model.name} ${model.quantize}: ${done}/${total} vectors`,
          }),
        });
        await saveResults(workspace, context.results);
        const last = evaluations[evaluations.length - 1];
        if (last) {
          boards.report = { evaluation: last.report, classNames: context.bundle.classNames };
          Object.assign(context.metrics, { target_acc: last.report.accuracy ?? null, target_agreement: last.report.agreement });
        }
        const pct = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(2)} %`);
        return evaluations.map((e) => `${e.model.name} ${e.model.quantize} on the Wasm board: accuracy ${pct(e.report.accuracy)} (reference ${pct(e.report.reference_accuracy)}), ${e.report.bit_exact ? 'bit-exact' : `${e.report.mismatched_vectors} of ${e.report.n} vectors differ from the reference`}, ${e.report.n} vectors`).join('; ');
      } finally {
        boards.connected = previouslyConnected;
      }
    },
  },
];

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
  private controller: AbortController | undefined;

  constructor(private readonly workbench: Workbench) {}

  /** Live figures of the training stage: stage bar, samples/s, time left, and the curve point of this epoch. */
  progress(p: TrainingProgress, model: string, context: StageContext): void {
    const acc = p.metrics.acc ?? null;
    if (p.phase === 'train') {
      this.samplesPerSecond = p.samplesPerSecond;
      this.etaSeconds = p.etaSeconds;
      context.update({ progress: (p.epoch - 1 + p.batch / p.batches) / p.epochs, message: `${model}: epoch ${p.epoch}/${p.epochs}, loss ${p.loss.toFixed(4)}${acc === null ? '' : `, accuracy ${(acc * 100).toFixed(1)} %`}` });
    }
    if (p.phase === 'evaluate') { context.update({ message: `${model}: final evaluation` }); return; }
    const curve = [...this.curve];
    const point = curve.find((c) => c.epoch === p.epoch) ?? { epoch: p.epoch, loss: p.loss, metric: acc, valLoss: null, valMetric: null };
    if (p.phase === 'train') Object.assign(point, { loss: p.loss, metric: acc });
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
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks) return this.execute();
    await this.execute((runId, body) => locks.request(runLockName(runId), body));
  }

  private async execute(hold: (runId: string, body: () => Promise<void>) => Promise<void> = (_id, body) => body()): Promise<void> {
    const { workbench } = this;
    const experiment = workbench.current;
    if (this.running || !experiment || !workbench.store) return;
    await workbench.flush();
    this.running = true;
    this.controller = new AbortController();
    this.curve = [];
    this.stages = STAGES.map((s) => ({ id: s.id, title: s.title, status: 'waiting', progress: null, message: '' }));
    const store = workbench.store;
    let run: RunRecord;
    try {
      run = await store.createRun({ experimentId: experiment.id, toml: workbench.draft, stage: STAGES[0].id });
    } catch (error) {
      workbench.notify('error', (error as Error).message);
      this.running = false;
      return;
    }
    this.run = run;
    const controller = this.controller;
    await hold(run.id, async () => {
      const records: RunStageRecord[] = [];
      const context: StageContext = {
        toml: workbench.draft,
        file: `${experiment.name}.toml`,
        experiment: undefined,
        signal: controller.signal,
        runner: this,
        store,
        runId: run.id,
        metrics: {},
        results: null,
        bundle: null,
        generated: [],
        update: () => undefined,
      };
      this.confusion = null;
      this.samplesPerSecond = null;
      this.etaSeconds = null;
      let status: RunRecord['status'] = 'completed';
      let failure: string | null = null;
      for (const [index, stage] of STAGES.entries()) {
        const view = this.stages[index];
        const startedAt = new Date().toISOString();
        const finish = async (result: RunStageRecord['status'], message: string): Promise<void> => {
          view.status = result;
          view.message = message;
          records.push({ stage: stage.id, status: result, startedAt, finishedAt: new Date().toISOString(), message });
          this.run = await store.updateRun(run.id, { stage: stage.id, stages: [...records], metrics: { ...context.metrics }, results: context.results ?? undefined }).catch(() => this.run);
        };
        if (status !== 'completed') { await finish('skipped', status === 'cancelled' ? 'cancelled before this stage' : 'an earlier stage failed'); continue; }
        const reason = await stage.unavailable();
        if (reason) { await finish('skipped', `Not available yet: ${reason}.`); continue; }
        view.status = 'running';
        // Progress crosses from workers asynchronously: one may arrive after the stage ended, and is dropped.
        context.update = (change) => { if (view.status === 'running') Object.assign(view, change); };
        try {
          const message = await stage.run(context);
          await finish('completed', message);
        } catch (error) {
          if (error instanceof StageNotApplicable) { await finish('skipped', error.message); continue; }
          if (controller.signal.aborted || (error as Error)?.name === 'CancelledError') { status = 'cancelled'; await finish('cancelled', 'cancelled by you'); continue; }
          status = 'failed';
          failure = `${stage.title}: ${(error as Error)?.message ?? String(error)}`;
          await finish('failed', (error as Error)?.message ?? String(error));
        }
      }
      try {
        this.run = await store.updateRun(run.id, { status, error: failure, finishedAt: new Date().toISOString() });
      } catch (error) {
        workbench.notify('error', (error as Error).message);
      }
    });
    this.running = false;
    this.etaSeconds = null;
    await workbench.refreshRuns();
  }
}
