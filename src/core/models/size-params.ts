// Parameter schemas for the sizes a model kind takes (channels, windows, block counts), with the caps of
// base/limits.ts, so `filters = [1000000000]` fails at validation naming its key rather than in an allocation.

import { MAX_BLOCKS, MAX_CHANNELS, MAX_WINDOW } from '../base/limits';
import { integer } from '../base/schema';

/** Filters of a convolution or units of a dense layer. */
export const channelCount = () => integer(undefined, { min: 1, max: MAX_CHANNELS });
/** A kernel, stride or pool size along one dimension. */
export const windowSize = (fallback?: number) => integer(fallback, { min: 1, max: MAX_WINDOW });
/** A padding along one dimension. */
export const paddingSize = () => integer(undefined, { min: 0, max: MAX_WINDOW });
/** Residual blocks per stage. */
export const blockCount = () => integer(undefined, { min: 1, max: MAX_BLOCKS });
/** One dimension of an input or output shape. */
export const shapeDimension = () => integer(undefined, { min: 1, max: MAX_CHANNELS * MAX_WINDOW });
/** A kernel, stride, padding or pool size along one dimension where 0 is meaningful (no padding, no pool). */
export const spatialSize = () => integer(undefined, { min: 0, max: MAX_WINDOW });
