// Float reference facet: one layer of the plain-TypeScript forward pass (models/reference-float.ts), the
// float oracle of the trainer, the quantizer and the generated float32 C. Inference semantics; obvious
// loops over speed; sums in double precision (the engine stores each output as float32).

import type { LayerBase } from '../ir';

export interface FloatContext {
  /** One sample's inputs, channels_last, in the order of `layer.inputs`. */
  inputs: Float32Array[];
  inShapes: number[][];
  outShape: number[];
  /** The layer's float weight of a role (`kernel`, `bias`, `gamma`, …). */
  weight(role: string): Float32Array;
}

export type FloatReference<L extends LayerBase> = (layer: L, ctx: FloatContext) => ArrayLike<number>;
