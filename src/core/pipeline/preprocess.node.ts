import { saveBundle } from '../data/cache.node';
import { openDatasetSource } from './open-dataset.node';
import { applyPreprocessing, formatSummary, loadDataset, summarizeBundle } from './prepare-data';
import type { ActionContext } from './context';

/** preprocess_data: import the dataset from its original files, run [[preprocessing]], cache out/data/<name>/. */
export async function preprocessAction(ctx: ActionContext): Promise<void> {
  const { experiment } = ctx;
  const source = await openDatasetSource(experiment.dataset);
  const imported = await loadDataset(experiment.dataset, source, ctx.progress);
  ctx.log(`imported ${formatSummary(summarizeBundle(imported))}`);
  if (experiment.preprocessing.length === 0) {
    ctx.log(`saved to ${await saveBundle(imported, 'out')}/`);
    return;
  }
  const bundle = applyPreprocessing(imported, experiment.preprocessing, experiment.bench.seed);
  ctx.log(`after [[preprocessing]] (${experiment.preprocessing.map((p) => p.kind).join(', ')}): ${formatSummary(summarizeBundle(bundle))}`);
  ctx.log(`saved to ${await saveBundle(bundle, 'out')}/`);
}
