import type { KindInfo } from '../kinds';

/** Every [[model]] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const modelKinds = {} satisfies Record<string, KindInfo<any>>;
