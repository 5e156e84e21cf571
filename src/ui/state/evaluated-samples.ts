// The samples a board evaluated, drawn again on demand: the run's experiment reads its dataset and
// [[preprocessing]] once more in the data worker, and the evaluation set is cut as the Wasm board stage cut it
// (evaluationSet: `evaluate = true` augmentations, deploy.limit, no shuffle), so row i of the board's report
// is sample i here.
import type { SamplePreview } from '../../core/data/sample-preview';
import { dataImport } from './data-import.svelte';

export async function loadEvaluatedSamples(toml: string, indices: readonly number[]): Promise<Map<number, SamplePreview>> {
  const [{ loadExperiment }, { dataWorker }, { fromTransferable }, { evaluationSet }, { samplePreview }] = await Promise.all([
    import('../../core/config/load'), import('../../workers/data-client'), import('../../core/data/bundle'),
    import('../../core/pipeline/deploy'), import('../../core/data/sample-preview'),
  ]);
  const { experiment, diagnostics } = loadExperiment(toml, { file: 'run.toml' });
  if (!experiment) throw new Error(`the experiment saved with this run no longer loads (${diagnostics.find((d) => d.severity === 'error')?.message ?? 'unknown problem'}); run it again`);
  const worker = dataWorker();
  if (dataImport.files.length === 0 && (await worker.needsFiles(experiment.dataset.kind))) {
    throw new Error(`the samples come from ${experiment.dataset.kind}'s original files: import them on the Data page, then try again`);
  }
  await worker.preprocess({ dataset: experiment.dataset, preprocessing: experiment.preprocessing, seed: experiment.bench.seed }, dataImport.files.map(({ path, file }) => ({ path, file })));
  const bundle = fromTransferable(await worker.takeBundle());
  const set = evaluationSet(experiment, bundle);
  const out = new Map<number, SamplePreview>();
  for (const index of indices) if (index >= 0 && index < set.count) out.set(index, samplePreview(set, index, 'test', bundle.classNames));
  return out;
}
