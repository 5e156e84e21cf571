// The accumulator of the layers that sum weight products (Conv, Dense, BatchNorm), as their integer
// references and C emitters both set it up: fractional bits, output shift, aligned biases, relu6 limit.

import type { Activation } from '../ir';
import type { LayerFormat } from '../facets/quantize';
import { alignBias, type LongWidth } from './fixed-point';

export interface AccumulatorSetup {
  accFrac: number;
  shift: number;
  /** Biases moved to the accumulator's fractional bits (saturated to it), per output channel. */
  bias: Int32Array | Float64Array | undefined;
  /** 6 in the accumulator's format when the fused activation is relu6. */
  reluLimit: number | undefined;
}

export function accumulatorSetup(format: LayerFormat, rawBias: Int32Array | undefined, activation: Activation, inFrac: number, longWidth: LongWidth): AccumulatorSetup {
  const accFrac = inFrac + format.weights!;
  let bias: Int32Array | Float64Array | undefined;
  if (rawBias) {
    bias = longWidth === 64 ? new Float64Array(rawBias.length) : new Int32Array(rawBias.length);
    for (let i = 0; i < rawBias.length; i++) bias[i] = alignBias(rawBias[i], format.bias! - accFrac, format.round, longWidth);
  }
  const reluLimit = activation === 'relu6' ? Math.floor(6 * 2 ** accFrac) : undefined;
  return { accFrac, shift: accFrac - format.output, bias, reluLimit };
}
