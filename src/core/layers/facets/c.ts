// C facet: one layer as a static C function body for the generator (codegen/emit.ts), in both dialects.
// The emitted integers must equal the layer's integer reference (zoo parity tests, ASan + UBSan).

import type { LongWidth } from '../shared/fixed-point';
import type { LayerBase } from '../ir';
import type { LayerFormat } from './quantize';

export type NumberFormat = 'float32' | 'int16' | 'int8';
/** `c99`: portable loops. `cortex-m`: the same integers through Armv7E-M DSP intrinsics (SMLAD, SSAT). */
export type Dialect = 'c99' | 'cortex-m';
export const DIALECTS: readonly Dialect[] = ['c99', 'cortex-m'];

/** What the number helpers and C fragments of shared/arith-c.ts depend on. */
export interface CNumberContext {
  number: NumberFormat;
  dialect: Dialect;
  longWidth: LongWidth;
  /** CodegenOptions.packInt8Weights (default true). */
  packInt8Weights: boolean;
}

export interface CEmitContext extends CNumberContext {
  inShapes: number[][];
  outShape: number[];
  /** Fixed point only. */
  format?: LayerFormat;
  /** Fractional bits of each input (fixed point; 0 for float). */
  inFracs: number[];
  /** The layer's float weight of a role (float32 models). */
  weight(role: string): Float32Array;
  /** The layer's integer weight of a role (fixed point), if the quantizer made one. */
  intWeight(role: string): Int32Array | undefined;
  /** Registers a `static const` array in the weights file and returns its C name. `acc` arrays use the
   * accumulator type, `word` arrays `int32_t` (weights pre-packed for the SIMD dialect, see arith-c.ts). */
  constArray(role: string, type: 'number' | 'acc' | 'word', values: ArrayLike<number>): string;
}

export type LayerCode =
  /** The body reads `in0`, `in1`, … and writes `out` (all `model_number_t *restrict`). `includes` are
   * system headers the body needs beyond <stdint.h> and <string.h> (e.g. `math.h`). */
  | { kind: 'function'; body: string; macs: number; includes?: string[] }
  /** The output is the input buffer reinterpreted (Flatten): no code, no buffer. */
  | { kind: 'alias' };

export type CEmitter<L extends LayerBase> = (layer: L, ctx: CEmitContext) => LayerCode;
