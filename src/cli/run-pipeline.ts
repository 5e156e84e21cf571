// The CLI's side of the engine: assemble Node's environment, run the actions, and render the events on
// the terminal (log lines on stdout, progress on stderr). Nothing else: the engine is src/core/pipeline/engine.ts.
import type { Experiment } from '../core/config/experiment';
import { runPipeline, type PipelineAction, type PipelineEvent, type ProgressUpdate } from '../core/pipeline/engine';
import { nodePipelineEnvironment } from '../core/pipeline/environment.node';

export interface CliRunOptions {
  configPath: string;
  log: (line: string) => void;
  progress: (update: ProgressUpdate) => void;
  /** Told which action starts, so that a failure can name it. */
  onAction?: (action: PipelineAction) => void;
  signal?: AbortSignal;
}

export function renderEvent(event: PipelineEvent, options: CliRunOptions): void {
  switch (event.type) {
    case 'action-start': options.onAction?.(event.action); break;
    case 'log': options.log(event.line); break;
    case 'progress': options.progress(event.update); break;
    case 'training': {
      const p = event.progress;
      options.progress({
        stage: `${p.phase} ${event.model} epoch ${p.epoch}/${p.epochs}`, done: p.batch, total: p.batches,
        detail: `loss ${p.loss.toFixed(4)}${p.metrics.acc !== undefined ? ` acc ${p.metrics.acc.toFixed(3)}` : ''} ${Math.round(p.samplesPerSecond)}/s`,
      });
      break;
    }
    default: break; // action-end, model, board and evaluation are said by the log lines
  }
}

/** Runs pipeline actions in Node, writing Qualia's layout under the current directory. */
export async function runCliPipeline(experiment: Experiment, actions: PipelineAction[], options: CliRunOptions): Promise<void> {
  await runPipeline(experiment, actions, nodePipelineEnvironment({ configPath: options.configPath }), {
    signal: options.signal,
    onEvent: (event) => renderEvent(event, options),
  });
}
