import type { KindInfo } from '../kinds';

/** Every [[preprocessing]] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const preprocessingKinds = {} satisfies Record<string, KindInfo<any>>;
