import { saveBundle } from '../data/cache.node';
import { openDatasetSource } from '../data/open.node';
import { formatSummary, preprocessData, summarizeBundle } from '../data/preprocess';
import type { ActionContext } from './context';

/** preprocess_data: import the dataset from its original files, run [[preprocessing]], cache out/data/<name>/. */
export async function preprocessAction(ctx: ActionContext): Promise<void> {
  const { experiment } = ctx;
  const source = await openDatasetSource(experiment.dataset);
  const bundle = await preprocessData(
    { dataset: experiment.dataset, preprocessing: experiment.preprocessing, seed: experiment.bench.seed },
    source,
    ctx.progress,
  );
  const dir = await saveBundle(bundle, 'out');
  ctx.log(formatSummary(summarizeBundle(bundle)));
  ctx.log(`saved to ${dir}/`);
}
