// QuantizedGraph: a lowered ModelGraph (see lower.ts) plus one fixed-point format per tensor and the
// integer weights. The integer reference interpreter and the C generator read only this.
//
// Formats follow Qualia's per-layer quantizers (§4 of the Qualia reference): `input` (the model input),
// `act` (each layer's output, after its fused activation), `w` (kernel, shared with the bias unless the
// config has a `bias` sub-table). A layer's input format is its producer's output format. Layers that do
// not change the value range (MaxPool, AvgPool, ReLU, Flatten, global max/avg pooling) keep their input
// format; Conv, Dense, BatchNorm, Add and global sum pooling get their own calibrated output format.

import { UnsupportedError } from '../base/errors';
import type { Layer, ModelGraph } from '../models/graph';
import { sizeOf } from '../models/shapes';
import { checkShift, fractionalBits, quantizeValue, type FixedBits } from './fixed-point';
import type { ResolvedQuantParams, RoundMode } from './quant-params';

export const QUANTIZED_GRAPH_FORMAT_VERSION = 1;

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

export interface QuantizedGraph {
  formatVersion: typeof QUANTIZED_GRAPH_FORMAT_VERSION;
  /** The lowered float graph (Dropout removed, ReLU fused). */
  graph: ModelGraph;
  bits: FixedBits;
  input: { frac: number; round: RoundMode };
  formats: Record<string, LayerFormat>;
  /** Integer kernels and biases keyed `<layer>/kernel`, `<layer>/bias`, in the IR's float layouts. */
  weights: Record<string, Int32Array>;
}

/** Largest |x| seen per tensor during calibration (Qualia's running global max). */
export interface CalibrationRanges {
  input: number;
  outputs: Record<string, number>;
}

function maxAbs(...arrays: (Float32Array | Float64Array | undefined)[]): number {
  let max = 0;
  for (const a of arrays) if (a) for (let i = 0; i < a.length; i++) { const v = Math.abs(a[i]); if (v > max) max = v; }
  return max;
}

/** BatchNorm as a per-channel affine: kernel = γ/√(σ²+ε), bias = β − γμ/√(σ²+ε) (float64). */
export function batchNormAffine(layer: Extract<Layer, { kind: 'BatchNorm' }>, graph: ModelGraph): { kernel: Float64Array; bias: Float64Array } {
  const w = (role: string) => graph.weights[`${layer.name}/${role}`].data;
  const [gamma, beta, mean, variance] = [w('gamma'), w('beta'), w('mean'), w('variance')];
  const kernel = new Float64Array(gamma.length);
  const bias = new Float64Array(gamma.length);
  for (let c = 0; c < gamma.length; c++) {
    kernel[c] = gamma[c] / Math.sqrt(variance[c] + layer.epsilon);
    bias[c] = beta[c] - mean[c] * kernel[c];
  }
  return { kernel, bias };
}

function quantizeArray(values: ArrayLike<number>, frac: number, bits: number, round: RoundMode): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = quantizeValue(values[i], frac, bits, round);
  return out;
}

/**
 * Builds the QuantizedGraph of a lowered graph from calibration ranges (PTQ) or QAT ranges.
 * `graph` must come from `lowerForDeployment`.
 */
export function quantizeGraph(graph: ModelGraph, ranges: CalibrationRanges, quant: ResolvedQuantParams): QuantizedGraph {
  const bits = quant.act.bits;
  if (bits !== 8 && bits !== 16) {
    throw new UnsupportedError(`quant_params.bits = ${bits}: the C generator emits int8 or int16 only (other widths are for training experiments); use bits = 8 or 16`);
  }
  const formats: Record<string, LayerFormat> = {};
  const weights: Record<string, Int32Array> = {};
  const outputFrac = (name: string) => {
    const range = ranges.outputs[name];
    if (range === undefined) throw new UnsupportedError(`layer '${name}': no calibration range was recorded for its output; run the calibration on this graph`);
    return fractionalBits(range, bits, quant.act.forceQ);
  };
  const inputFrac = fractionalBits(ranges.input, bits, quant.input.forceQ);
  const fracOf = (name: string): number => (name === graph.layers[0].name ? inputFrac : formats[name].output);
  for (const layer of graph.layers) {
    if (layer.kind === 'Input') continue;
    const inFrac = fracOf(layer.inputs[0]);
    const where = `layer '${layer.name}' (${layer.kind})`;
    switch (layer.kind) {
      case 'Conv':
      case 'Dense':
      case 'BatchNorm': {
        let kernel: ArrayLike<number>;
        let bias: ArrayLike<number> | undefined;
        if (layer.kind === 'BatchNorm') ({ kernel, bias } = batchNormAffine(layer, graph));
        else {
          kernel = graph.weights[`${layer.name}/kernel`].data;
          bias = layer.useBias ? graph.weights[`${layer.name}/bias`].data : undefined;
        }
        const kernelArray = Float64Array.from(kernel);
        const biasArray = bias ? Float64Array.from(bias) : undefined;
        const separate = quant.bias !== undefined && biasArray !== undefined;
        const wFrac = fractionalBits(separate ? maxAbs(kernelArray) : maxAbs(kernelArray, biasArray), bits, quant.w.forceQ);
        const bFrac = separate ? fractionalBits(maxAbs(biasArray), bits, quant.bias!.forceQ) : wFrac;
        const out = outputFrac(layer.name);
        checkShift(inFrac + wFrac - out, where);
        checkShift(bFrac - inFrac - wFrac, where);
        formats[layer.name] = { output: out, round: quant.act.round, weights: wFrac, weightRound: quant.w.round, bias: biasArray ? bFrac : undefined, separateBias: separate };
        weights[`${layer.name}/kernel`] = quantizeArray(kernelArray, wFrac, bits, quant.w.round);
        if (biasArray) weights[`${layer.name}/bias`] = quantizeArray(biasArray, bFrac, bits, separate ? quant.bias!.round : quant.w.round);
        break;
      }
      case 'Add': {
        const out = outputFrac(layer.name);
        const fracs = layer.inputs.map(fracOf);
        const aligned = Math.max(...fracs);
        if (aligned - Math.min(...fracs) > 30) throw new UnsupportedError(`${where}: its inputs' formats differ by more than 30 fractional bits (${fracs.join(', ')}); check the calibration`);
        checkShift(aligned - out, where);
        formats[layer.name] = { output: out, round: quant.act.round };
        break;
      }
      case 'GlobalPool': {
        const positions = sizeOf(graph.shapes[layer.inputs[0]]) / graph.shapes[layer.name][0];
        if (positions * 2 ** (bits - 1) > 2 ** 31 - 1) throw new UnsupportedError(`${where}: pooling ${positions} positions of ${bits}-bit values could overflow its 32-bit sum`);
        const out = layer.mode === 'sum' ? outputFrac(layer.name) : inFrac;
        checkShift(inFrac - out, where);
        formats[layer.name] = { output: out, round: quant.act.round };
        break;
      }
      case 'MaxPool':
      case 'AvgPool':
      case 'ReLU':
      case 'ReLU6':
      case 'Flatten':
        formats[layer.name] = { output: inFrac, round: quant.act.round };
        break;
      case 'Softmax':
        throw new UnsupportedError(`${where} is not supported by quantization: a Softmax in an int8/int16 model has no fixed-point kernel in Mote; remove it (the predicted class is unchanged) or deploy with quantize = ['float32']`);
      case 'Dropout':
        throw new Error(`internal: ${where} should have been removed by lowerForDeployment`);
    }
  }
  return { formatVersion: QUANTIZED_GRAPH_FORMAT_VERSION, graph, bits, input: { frac: inputFrac, round: quant.input.round }, formats, weights };
}
