// What the C generator consumes and produces. What a layer's C emitter sees is layers/facets/c.ts.

import type { Dialect } from '../layers/facets/c';
import type { LongWidth } from '../layers/shared/fixed-point';
import type { ModelGraph } from '../models/graph';
import type { QuantizedGraph } from '../quantization/quantized-graph';

export type { Dialect, NumberFormat } from '../layers/facets/c';

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

export interface CodegenReport {
  /** Activation arena, bytes (static, proven by the allocator). */
  arenaBytes: number;
  /** What one buffer per layer would need, bytes (for comparison). */
  unpackedBytes: number;
  /** The most activation bytes live at one layer step: no arena can be smaller (arenaBytes ≥ this). */
  arenaLowerBoundBytes: number;
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
