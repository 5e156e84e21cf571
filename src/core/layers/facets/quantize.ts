// Quantization facet: the fixed-point format of a layer's output (and its integer weights) from its
// inputs' formats, as quantization/quantized-graph.ts applies it to a lowered graph. Formats follow
// Qualia's per-layer quantizers (§4 of the Qualia reference): `act` for outputs, `w` (and `bias`) for weights.

import type { FixedBits, RoundMode } from '../shared/fixed-point';
import type { LayerBase } from '../ir';

export interface LayerFormat {
  /** Fractional bits of the layer's output. */
  output: number;
  /** Round mode of the output rescaling (the `act` quantizer's roundtype). */
  round: RoundMode;
  /** Kernel fractional bits and round mode (Conv, Dense, BatchNorm). */
  weights?: number;
  weightRound?: RoundMode;
  /** Bias fractional bits; equals `weights` when the weights and bias share a quantizer. */
  bias?: number;
  /** Whether the bias had its own quantizer (Qualia's `bias_q` column is `None` otherwise). */
  separateBias?: boolean;
}

/** Formats and integer values of a kernel (and bias) quantized with the `w` (and `bias`) quantizers. */
export interface QuantizedWeights {
  weights: number;
  weightRound: RoundMode;
  /** The bias's fractional bits (equal to `weights` when they share a quantizer, or when there is no bias). */
  bias: number;
  separateBias: boolean;
  kernel: Int32Array;
  biasValues: Int32Array | undefined;
}

export interface QuantizeContext {
  /** `layer 'name' (Kind)`, for error messages. */
  where: string;
  inFracs: number[];
  inShapes: number[][];
  outShape: number[];
  bits: FixedBits;
  /** Round mode of the output rescaling (the `act` quantizer's). */
  round: RoundMode;
  /** The output format from the calibrated range (only for layers whose `calibrated` says so). */
  outputFrac(): number;
  weight(role: string): Float32Array;
  quantizeWeights(kernel: ArrayLike<number>, bias: ArrayLike<number> | undefined): QuantizedWeights;
}

export interface QuantizeRule<L extends LayerBase> {
  /** Whether the output has its own calibrated range (observed by calibration and fake-quantized in QAT);
   * otherwise `format` derives it from the inputs (pooling, ReLU, Flatten keep their input's). */
  calibrated(layer: L): boolean;
  /** The layer's format and its integer weights by role. Throw UnsupportedError (with `where`) when the
   * formats cannot work (a shift out of range, a sum that could overflow). */
  format(layer: L, ctx: QuantizeContext): { format: LayerFormat; weights?: Record<string, Int32Array> };
  /** False when Qualia's activations_range.txt has no line for this kind (default: it has one). */
  readonly rangeLine?: false;
}
