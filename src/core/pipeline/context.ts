import type { Experiment } from '../config/experiment';

/** What every pipeline action receives: the validated experiment and where to report. */
export interface ActionContext {
  experiment: Experiment;
  configPath: string;
  /** Human-readable lines (the CLI prints them; the app shows them in the run log). */
  log: (line: string) => void;
  progress?: (update: { stage: string; done: number; total: number; detail?: string }) => void;
  signal?: AbortSignal;
}

/** Qualia's `logs/<bench.name>/` folder. */
export function logsDir(experiment: Experiment): string {
  return `logs/${experiment.bench.name}`;
}

/** Inclusive run indices, as Qualia's first_run..last_run. */
export function runIndices(experiment: Experiment): number[] {
  const out: number[] = [];
  for (let i = experiment.bench.first_run; i <= experiment.bench.last_run; i++) out.push(i);
  return out;
}

export function enabledModels(experiment: Experiment) {
  return experiment.model.filter((m) => !m.disabled);
}
