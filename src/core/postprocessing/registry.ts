import type { KindInfo } from '../kinds';

/** Every [[postprocessing]] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const postprocessingKinds = {} satisfies Record<string, KindInfo<any>>;
