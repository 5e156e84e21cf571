// Integer reference facet: one layer of the integer-exact interpreter (quantization/reference-int.ts),
// the oracle every target is compared with. It performs exactly the arithmetic of the layer's C emitter
// (shared/fixed-point.ts), loop for loop where the order matters (wrap-around of narrow accumulators).

import type { FixedBits, LongWidth } from '../shared/fixed-point';
import type { LayerBase } from '../ir';
import type { LayerFormat } from './quantize';

export interface IntegerContext {
  inputs: Int32Array[];
  inShapes: number[][];
  outShape: number[];
  /** Fractional bits of each input. */
  inFracs: number[];
  format: LayerFormat;
  bits: FixedBits;
  /** Accumulator width of the layers that accumulate products (converter `long_width`). */
  longWidth: LongWidth;
  /** The layer's integer weight of a role, if the quantizer made one. */
  weight(role: string): Int32Array | undefined;
  /** The output to fill, sized for `outShape`. */
  out: Int32Array;
}

export type IntegerReference<L extends LayerBase> = (layer: L, ctx: IntegerContext) => void;
