// QuantizedGraph: a lowered ModelGraph (see lower.ts) plus one fixed-point format per tensor and the
// integer weights. The integer reference interpreter and the C generator read only this.
//
// Formats follow Qualia's per-layer quantizers (§4 of the Qualia reference): `input` (the model input),
// `act` (each layer's output, after its fused activation), `w` (kernel, shared with the bias unless the
// config has a `bias` sub-table). A layer's input format is its producer's output format. Each kind's
// quantization rule (layers/<kind>/quantize.ts) says whether its output gets its own calibrated format
// (Conv, Dense, BatchNorm, Add, global sum pooling) or keeps its input's (pooling, ReLU, Flatten); this
// engine applies the quantizers to what the rules ask for.

import { UnsupportedError } from '../base/errors';
import type { LayerFormat, QuantizedWeights } from '../layers/facets/quantize';
import { fractionalBits, quantizeValue, type FixedBits, type RoundMode } from '../layers/shared/fixed-point';
import { facetOf } from '../layers/table';
import type { ModelGraph } from '../models/graph';
import type { ResolvedQuantParams } from './quant-params';

export const QUANTIZED_GRAPH_FORMAT_VERSION = 1;

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
  const quantizeWeights = (kernel: ArrayLike<number>, bias: ArrayLike<number> | undefined): QuantizedWeights => {
    const kernelArray = Float64Array.from(kernel);
    const biasArray = bias ? Float64Array.from(bias) : undefined;
    const separate = quant.bias !== undefined && biasArray !== undefined;
    const wFrac = fractionalBits(separate ? maxAbs(kernelArray) : maxAbs(kernelArray, biasArray), bits, quant.w.forceQ);
    const bFrac = separate ? fractionalBits(maxAbs(biasArray), bits, quant.bias!.forceQ) : wFrac;
    return {
      weights: wFrac,
      weightRound: quant.w.round,
      bias: bFrac,
      separateBias: separate,
      kernel: quantizeArray(kernelArray, wFrac, bits, quant.w.round),
      biasValues: biasArray ? quantizeArray(biasArray, bFrac, bits, separate ? quant.bias!.round : quant.w.round) : undefined,
    };
  };
  // The graph input's format is the input quantizer's; every other layer's comes from its kind's rule.
  for (const layer of graph.layers.slice(1)) {
    const rule = facetOf(layer, 'quantize');
    const where = `layer '${layer.name}' (${layer.kind})`;
    const calibrated = rule.calibrated(layer);
    const result = rule.format(layer, {
      where,
      inFracs: layer.inputs.map(fracOf),
      inShapes: layer.inputs.map((name) => graph.shapes[name]),
      outShape: graph.shapes[layer.name],
      bits,
      round: quant.act.round,
      outputFrac: () => {
        if (!calibrated) throw new Error(`internal: ${where} reads a calibrated output format, but its quantization rule says it has none`);
        return outputFrac(layer.name);
      },
      weight: (role) => graph.weights[`${layer.name}/${role}`].data,
      quantizeWeights,
    });
    formats[layer.name] = result.format;
    for (const [role, values] of Object.entries(result.weights ?? {})) weights[`${layer.name}/${role}`] = values;
  }
  return { formatVersion: QUANTIZED_GRAPH_FORMAT_VERSION, graph, bits, input: { frac: inputFrac, round: quant.input.round }, formats, weights };
}
