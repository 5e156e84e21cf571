// Model-blob facet: one layer as a record of the Mote Runtime's model blob (docs/model-blob.md), read by
// the blob encoder (runtime/blob.ts) and interpreted by the C runtime (runtime/src/mote_rt_kernels.inc).
// The record's parameters must make the runtime compute exactly the layer's integer reference.

import type { PackedLayout } from '../shared/arith-c';
import type { FixedBits, LongWidth } from '../shared/fixed-point';
import type { LayerBase } from '../ir';
import type { LayerFormat } from './quantize';

export interface BlobEmitContext {
  inShapes: number[][];
  outShape: number[];
  bits: FixedBits;
  longWidth: LongWidth;
  /** The packed SIMD weight layout Conv/Dense may use (cortex-m dialect), or undefined (portable layout). */
  packed: PackedLayout | undefined;
  format: LayerFormat;
  /** Fractional bits of each input. */
  inFracs: number[];
  /** The layer's integer weight of a role, if the quantizer made one. */
  intWeight(role: string): Int32Array | undefined;
  /** Adds an array to the weights section and returns its byte offset there: `number` in the model's
   * number type, `acc` in the accumulator's (int32, or int64 for long_width 64), `word` int32. */
  weights(type: 'number' | 'acc' | 'word', values: ArrayLike<number>): number;
}

export type BlobLayerCode =
  /** A layer record: its code and its int32 parameters, in the order docs/model-blob.md gives. */
  | { kind: 'layer'; params: number[] }
  /** The output is the input tensor reinterpreted (Flatten): no record. */
  | { kind: 'alias' };

export interface BlobEncoder<L extends LayerBase> {
  /** The layer code in the blob (docs/model-blob.md); absent for kinds that never make a record. */
  readonly code?: number;
  encode(layer: L, ctx: BlobEmitContext): BlobLayerCode;
}
