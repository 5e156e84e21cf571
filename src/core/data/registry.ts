import type { KindInfo } from '../kinds';

/** Every dataset kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const datasetKinds = {} satisfies Record<string, KindInfo<any>>;
