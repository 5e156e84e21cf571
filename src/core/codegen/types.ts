// What the C generator consumes and what a layer emitter sees.

import type { KindInfo } from '../base/kinds';
import type { Layer, LayerKind, ModelGraph } from '../models/graph';
import type { LongWidth } from '../quantization/fixed-point';
import type { LayerFormat, QuantizedGraph } from '../quantization/quantized-graph';

export type NumberFormat = 'float32' | 'int16' | 'int8';
/** `c99`: portable loops. `cortex-m`: the same integers through Armv7E-M DSP intrinsics (SMLAD, SSAT). */
export type Dialect = 'c99' | 'cortex-m';
export const DIALECTS: readonly Dialect[] = ['c99', 'cortex-m'];

export type CodegenModel =
  | { format: 'float32'; graph: ModelGraph }
  | { format: 'int8' | 'int16'; quantized: QuantizedGraph };

export interface CodegenOptions {
  dialect?: Dialect;
  /** Accumulator width of Conv/Dense/BatchNorm in fixed point (converter `long_width`; default 32 for int8, 64 for int16). */
  longWidth?: LongWidth;
  /** cortex-m dialect, int8: store Conv/Dense weights pre-extended to int16 pairs (default true: about 2× their
   * flash for ≈ 25–30 % fewer instructions); false keeps them as bytes, unpacked inside the MAC loop. */
  packInt8Weights?: boolean;
  /** C entry point (converter `model_name`), default `cnn`. */
  entry?: string;
  /** MODEL_NAME_STRING, e.g. `fashion_cnn_r0_q8`. */
  displayName?: string;
}

export interface LayerEmitContext {
  layer: Layer;
  graph: ModelGraph;
  inShapes: number[][];
  outShape: number[];
  number: NumberFormat;
  dialect: Dialect;
  longWidth: LongWidth;
  /** CodegenOptions.packInt8Weights (default true). */
  packInt8Weights: boolean;
  /** Fixed point only. */
  quantized?: QuantizedGraph;
  format?: LayerFormat;
  /** Fractional bits of each input (fixed point; 0 for float). */
  inFracs: number[];
  /** Registers a `static const` array in the weights file and returns its C name. `acc` arrays use the
   * accumulator type, `word` arrays `int32_t` (weights pre-packed for the SIMD dialect, see arith-c.ts). */
  constArray(role: string, type: 'number' | 'acc' | 'word', values: ArrayLike<number>): string;
}

export type LayerCode =
  | { kind: 'function'; body: string; macs: number }
  /** The output is the input buffer reinterpreted (Flatten): no code, no buffer. */
  | { kind: 'alias' };

export interface LayerEmitter extends KindInfo<Record<string, never>> {
  readonly kind: LayerKind;
  emit(ctx: LayerEmitContext): LayerCode;
}

export interface CodegenReport {
  /** Activation arena, bytes (static, proven by the allocator). */
  arenaBytes: number;
  /** What one buffer per layer would need, bytes (for comparison). */
  unpackedBytes: number;
  /** `const` weights and biases, bytes. */
  weightBytes: number;
  macs: number;
  hash: number;
  inputFrac: number;
  outputFrac: number;
  buffers: { layer: string; offset: number; bytes: number }[];
}

export interface GeneratedSources {
  /** File name → contents: `model.h`, `model.c`, `model_weights.h`. */
  files: Record<string, string>;
  report: CodegenReport;
}
