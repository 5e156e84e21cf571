import type { KindInfo } from '../kinds';

/** Every deploy.target kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const targetKinds = {} satisfies Record<string, KindInfo<any>>;
