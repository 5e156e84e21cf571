import type { Experiment } from '../config/experiment';
import type { DataBundle } from '../data/bundle';
import { loadBundle } from '../data/cache.node';
import { InputFileError } from '../base/errors';

/** Qualia's dataset.name: the kind, plus `_<variant>` for kinds with variants (UCI_HAR_raw). */
export function datasetCacheName(dataset: Experiment['dataset']): string {
  const variant = dataset.params.variant;
  return dataset.kind === 'UCI_HAR' ? `UCI_HAR_${typeof variant === 'string' ? variant : 'features'}` : dataset.kind;
}

/** The bundle preprocess_data cached under out/data/<name>/, or Qualia's advice to run it first. */
export async function loadPreprocessed(experiment: Experiment): Promise<DataBundle> {
  const name = datasetCacheName(experiment.dataset);
  const bundle = await loadBundle(name, 'out');
  if (!bundle) throw new InputFileError(`out/data/${name}/ not found. Did you run 'preprocess_data'? (mote CONFIG.toml preprocess_data train …)`);
  return bundle;
}
