import type { KindInfo } from '../kinds';

/** Every [[data_augmentation]] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const augmentationKinds = {} satisfies Record<string, KindInfo<any>>;
