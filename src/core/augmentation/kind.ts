import type { KindInfo } from '../base/kinds';
import type { Rng } from '../base/rng';
import { boolean } from '../base/schema';

/** One mini-batch as the training loop sees it: float samples (channels_last) and one-hot or soft labels. */
export interface Batch {
  /** `count × prod(shape)` values. */
  x: Float32Array;
  /** Shape of one sample, channels_last ([steps, channels] or [h, w, channels]). */
  shape: number[];
  /** `count × classes` targets: one-hot, or soft after Mixup. */
  labels: Float32Array;
  count: number;
  classes: number;
  /** Storage type of the dataset the samples came from (IntToFloat32's `scale` divides by its maximum). */
  sourceDtype?: 'uint8' | 'float32';
}

/** A [[data_augmentation]] kind. `apply` returns a new batch (it may reuse the input arrays it did not change). */
export interface AugmentationKind<P extends CommonAugmentationParams = any> extends KindInfo<P> {
  apply(batch: Batch, params: P, rng: Rng): Batch;
}

export interface CommonAugmentationParams { evaluate: boolean; before: boolean; after: boolean }

/** Qualia's DataAugmentation base parameters, part of every kind's schema. */
export const commonParams = {
  /** Also applied at evaluation, and to the vectors sent to a target (conversions such as MFCC). */
  evaluate: boolean(false),
  /** Applied on the CPU batch before the device transfer (Qualia); Mote runs `before` ones first. */
  before: boolean(false),
  after: boolean(true),
};

export function spatialShape(batch: Batch, kind: string, dims: 1 | 2): void {
  if (batch.shape.length !== dims + 1) {
    throw new Error(`${kind} expects ${dims === 1 ? '1-D samples [steps, channels]' : '2-D samples [h, w, channels]'}, got samples of shape [${batch.shape.join(', ')}]`);
  }
}
