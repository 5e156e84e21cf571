import type { KindInfo } from '../kinds';

/** Every [learningframework] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const learningFrameworkKinds = {} satisfies Record<string, KindInfo<any>>;
