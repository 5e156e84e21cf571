import type { KindInfo } from '../kinds';

/** Every [deploy.converter] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const converterKinds = {} satisfies Record<string, KindInfo<any>>;
