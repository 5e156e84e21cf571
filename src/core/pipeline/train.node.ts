// train in Node (the CLI): the preprocessed bundle from out/data/, jobs trained in process on tfjs-wasm,
// results.json saved after every model.

import type { ActionContext } from './context';
import { loadPreprocessed } from './dataset.node';
import { loadResults, saveResults } from './results-store';
import { trainExperiment } from './train';
import { runTrainingJob } from './training-job';
import type { Workspace } from '../base/workspace';

export async function trainAction(ctx: ActionContext, workspace: Workspace): Promise<void> {
  const { experiment } = ctx;
  const bundle = await loadPreprocessed(experiment);
  const results = await loadResults(workspace, experiment, ctx.configPath);
  await trainExperiment(experiment, bundle, {
    workspace,
    results,
    runJob: runTrainingJob,
    log: ctx.log,
    signal: ctx.signal,
    onTrainingProgress: (name, p) => ctx.progress?.({
      stage: `${p.phase} ${name} epoch ${p.epoch}/${p.epochs}`, done: p.batch, total: p.batches,
      detail: `loss ${p.loss.toFixed(4)}${p.metrics.acc !== undefined ? ` acc ${p.metrics.acc.toFixed(3)}` : ''} ${Math.round(p.samplesPerSecond)}/s`,
    }),
    onPostprocessing: (step, done, total) => ctx.progress?.({ stage: step, done, total }),
    onRecord: () => saveResults(workspace, results),
  });
}
