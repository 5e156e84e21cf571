// Integer-exact reference interpreter of a QuantizedGraph: the oracle every target is compared with.
// Each layer runs its kind's integer facet (layers/<kind>/integer.ts), which performs exactly the
// arithmetic of its C emitter (see layers/shared/fixed-point.ts), loop for loop where the order matters
// (wrap-around of narrow accumulators); the result is the raw integer outputs.

import { defaultLongWidth, quantizeValue, type LongWidth } from '../layers/shared/fixed-point';
import { sizeOf } from '../layers/shared/geometry';
import { facetOf } from '../layers/table';
import type { QuantizedGraph } from './quantized-graph';

export interface IntReferenceOptions {
  /** Accumulator width of Conv/Dense/BatchNorm (converter `long_width`); default `defaultLongWidth(bits)`. */
  longWidth?: LongWidth;
}

/** Host-side input conversion of the ABI: clamp(round_mode(x · 2^MODEL_INPUT_SCALE_FACTOR)). */
export function quantizeInput(q: QuantizedGraph, x: ArrayLike<number>): Int32Array {
  const out = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = quantizeValue(x[i], q.input.frac, q.bits, q.input.round);
  return out;
}

export function runIntReference(q: QuantizedGraph, input: Int32Array, options: IntReferenceOptions = {}): Int32Array {
  const longWidth = options.longWidth ?? defaultLongWidth(q.bits);
  const graph = q.graph;
  const inputLayer = graph.layers[0];
  const fracOf = (name: string) => (name === inputLayer.name ? q.input.frac : q.formats[name].output);
  // The graph input is the caller's; every other layer runs its kind's integer facet.
  const steps = graph.layers.slice(1).map((layer) => ({ layer, run: facetOf(layer, 'integer') }));
  const inputSize = sizeOf(graph.shapes[inputLayer.name]);
  if (input.length !== inputSize) throw new Error(`integer reference: input holds ${input.length} values, expected ${inputSize}`);
  const values = new Map<string, Int32Array>([[inputLayer.name, input]]);
  for (const { layer, run } of steps) {
    const out = new Int32Array(sizeOf(graph.shapes[layer.name]));
    run(layer, {
      inputs: layer.inputs.map((name) => values.get(name)!),
      inShapes: layer.inputs.map((name) => graph.shapes[name]),
      outShape: graph.shapes[layer.name],
      inFracs: layer.inputs.map(fracOf),
      format: q.formats[layer.name],
      bits: q.bits,
      longWidth,
      weight: (role) => q.weights[`${layer.name}/${role}`],
      out,
    });
    values.set(layer.name, out);
  }
  return values.get(graph.layers[graph.layers.length - 1].name)!;
}
