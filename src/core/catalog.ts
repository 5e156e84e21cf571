// The kinds Mote supports, per area, as the config loader sees them. Each area fills its own registry.ts;
// the loader reads them generically (kind name → KindInfo), so adding a kind needs no change here.

import type { KindArea, KindInfo } from './base/kinds';
import { augmentationKinds } from './augmentation/registry';
import { converterKinds } from './codegen/registry';
import { datasetKinds } from './data/registry';
import { targetKinds } from './deploy/registry';
import { modelKinds } from './models/registry';
import { postprocessingKinds } from './postprocessing/registry';
import { preprocessingKinds } from './preprocessing/registry';
import { learningFrameworkKinds } from './training/registry';
import { optimizerKinds } from './training/optimizer-kinds';
import { schedulerKinds } from './training/schedulers';

export type KindTable = Readonly<Record<string, KindInfo<unknown>>>;

/**
 * One table per area. `target` kinds validate `deploy.deployer.params` (deploy.target names the kind);
 * Mote has no experiment-tracking kinds, so that area is empty unless a caller provides some.
 */
export type Catalog = Readonly<Record<KindArea, KindTable>>;

function read(registry: object): KindTable {
  return registry as KindTable;
}

export function defaultCatalog(): Catalog {
  return {
    learningframework: read(learningFrameworkKinds),
    dataset: read(datasetKinds),
    preprocessing: read(preprocessingKinds),
    data_augmentation: read(augmentationKinds),
    model: read(modelKinds),
    postprocessing: read(postprocessingKinds),
    converter: read(converterKinds),
    target: read(targetKinds),
    experimenttracking: {},
    optimizer: read(optimizerKinds),
    scheduler: read(schedulerKinds),
  };
}

/** Kind names Mote supports in an area, sorted for messages. */
export function supportedKinds(catalog: Catalog, area: KindArea): string[] {
  return Object.keys(catalog[area]).sort();
}
