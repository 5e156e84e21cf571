// Integer-exact reference interpreter of a QuantizedGraph: the oracle every target is compared with.
// It performs exactly the arithmetic of the generated C (see fixed-point.ts), loop for loop where the
// order matters (wrap-around of narrow accumulators), and returns the raw integer outputs.

import type { Layer } from '../models/graph';
import { sizeOf } from '../models/shapes';
import { UnsupportedError } from '../base/errors';
import { alignBias, defaultLongWidth, quantizeValue, requantize, requantizer, saturate, wrapAdd, wrapTo, type LongWidth } from './fixed-point';
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

function asImage(shape: readonly number[]): [number, number, number] {
  return shape.length === 2 ? [1, shape[0], shape[1]] : shape.length === 3 ? [shape[0], shape[1], shape[2]] : [1, 1, shape[0]];
}

/** Accumulator fractional bits and per-output aligned biases of a Conv/Dense/BatchNorm layer. */
export function accumulatorSetup(q: QuantizedGraph, layer: Layer, inFrac: number, longWidth: LongWidth): { accFrac: number; shift: number; bias: Int32Array | Float64Array | undefined; reluLimit: number | undefined } {
  const format = q.formats[layer.name];
  const accFrac = inFrac + format.weights!;
  const rawBias = q.weights[`${layer.name}/bias`];
  let bias: Int32Array | Float64Array | undefined;
  if (rawBias) {
    bias = longWidth === 64 ? new Float64Array(rawBias.length) : new Int32Array(rawBias.length);
    for (let i = 0; i < rawBias.length; i++) bias[i] = alignBias(rawBias[i], format.bias! - accFrac, format.round, longWidth);
  }
  const activation = 'activation' in layer ? layer.activation : 'linear';
  const reluLimit = activation === 'relu6' ? Math.floor(6 * 2 ** accFrac) : undefined;
  return { accFrac, shift: accFrac - format.output, bias, reluLimit };
}

/** Applies the fused activation to an exact accumulator value. */
function activate(acc: number, activation: string, limit: number | undefined): number {
  if (activation === 'linear') return acc;
  if (acc < 0) return 0;
  return limit !== undefined && acc > limit ? limit : acc;
}

// Kernels re-ordered once per weight array so the inner loops read contiguous memory (like the C).
const filterMajorCache = new WeakMap<Int32Array, Int32Array>();
const unitMajorCache = new WeakMap<Int32Array, Int32Array>();

function filterMajor(kernel: Int32Array, taps: number, cpg: number, filters: number): Int32Array {
  let out = filterMajorCache.get(kernel);
  if (!out) {
    out = new Int32Array(kernel.length);
    for (let t = 0; t < taps; t++) for (let c = 0; c < cpg; c++) for (let f = 0; f < filters; f++) out[(f * taps + t) * cpg + c] = kernel[(t * cpg + c) * filters + f];
    filterMajorCache.set(kernel, out);
  }
  return out;
}

function unitMajor(kernel: Int32Array, inputs: number, units: number): Int32Array {
  let out = unitMajorCache.get(kernel);
  if (!out) {
    out = new Int32Array(kernel.length);
    for (let i = 0; i < inputs; i++) for (let u = 0; u < units; u++) out[u * inputs + i] = kernel[i * units + u];
    unitMajorCache.set(kernel, out);
  }
  return out;
}

export function runIntReference(q: QuantizedGraph, input: Int32Array, options: IntReferenceOptions = {}): Int32Array {
  const longWidth = options.longWidth ?? defaultLongWidth(q.bits);
  const graph = q.graph;
  const bits = q.bits;
  const values = new Map<string, Int32Array>();
  const fracOf = (name: string) => (name === graph.layers[0].name ? q.input.frac : q.formats[name].output);
  for (const layer of graph.layers) {
    if (layer.kind === 'Input') {
      if (input.length !== sizeOf(layer.shape)) throw new Error(`integer reference: input holds ${input.length} values, expected ${sizeOf(layer.shape)}`);
      values.set(layer.name, input);
      continue;
    }
    const x = values.get(layer.inputs[0])!;
    const inShape = graph.shapes[layer.inputs[0]];
    const outShape = graph.shapes[layer.name];
    const format = q.formats[layer.name];
    const inFrac = fracOf(layer.inputs[0]);
    const out = new Int32Array(sizeOf(outShape));
    switch (layer.kind) {
      case 'Conv': {
        const [h, w, cin] = asImage(inShape);
        const [oh, ow, filters] = asImage(outShape);
        const two = layer.dims === 2;
        const [kh, kw] = two ? layer.kernel : [1, layer.kernel[0]];
        const [sh, sw] = two ? layer.stride : [1, layer.stride[0]];
        const [ph, pw] = two ? layer.padding : [0, layer.padding[0]];
        const cpg = cin / layer.groups;
        const fpg = filters / layer.groups;
        const kernel = filterMajor(q.weights[`${layer.name}/kernel`], kh * kw, cpg, filters);
        const { shift, bias, reluLimit } = accumulatorSetup(q, layer, inFrac, longWidth);
        const taps = kh * kw * cpg;
        const rescale = requantizer(shift, format.round, bits);
        for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let f = 0; f < filters; f++) {
          const c0 = ((f / fpg) | 0) * cpg;
          // Wrap-around is modular, so the exact sum wrapped once equals the C's per-addition wrapping.
          let sum = bias ? bias[f] : 0;
          for (let i = 0; i < kh; i++) {
            const y = oy * sh - ph + i;
            if (y < 0 || y >= h) continue;
            for (let j = 0; j < kw; j++) {
              const xx = ox * sw - pw + j;
              if (xx < 0 || xx >= w) continue;
              const xBase = (y * w + xx) * cin + c0;
              const kBase = f * taps + (i * kw + j) * cpg;
              for (let c = 0; c < cpg; c++) sum += x[xBase + c] * kernel[kBase + c];
            }
          }
          out[(oy * ow + ox) * filters + f] = rescale(activate(wrapTo(sum, longWidth), layer.activation, reluLimit));
        }
        break;
      }
      case 'Dense': {
        const n = x.length;
        const kernel = unitMajor(q.weights[`${layer.name}/kernel`], n, layer.units);
        const { shift, bias, reluLimit } = accumulatorSetup(q, layer, inFrac, longWidth);
        const rescale = requantizer(shift, format.round, bits);
        for (let u = 0; u < layer.units; u++) {
          let sum = bias ? bias[u] : 0;
          const base = u * n;
          for (let i = 0; i < n; i++) sum += x[i] * kernel[base + i];
          out[u] = rescale(activate(wrapTo(sum, longWidth), layer.activation, reluLimit));
        }
        break;
      }
      case 'BatchNorm': {
        const kernel = q.weights[`${layer.name}/kernel`];
        const { shift, bias } = accumulatorSetup(q, layer, inFrac, longWidth);
        const c = kernel.length;
        for (let i = 0; i < x.length; i++) {
          const ch = i % c;
          const acc = wrapAdd(bias![ch], x[i] * kernel[ch], longWidth);
          out[i] = requantize(acc, shift, format.round, bits);
        }
        break;
      }
      case 'ReLU':
      case 'ReLU6': {
        const limit = layer.kind === 'ReLU6' ? saturate(Math.floor(6 * 2 ** inFrac), bits) : Infinity;
        for (let i = 0; i < x.length; i++) out[i] = x[i] < 0 ? 0 : x[i] > limit ? limit : x[i];
        break;
      }
      case 'MaxPool':
      case 'AvgPool': {
        const [, w, c] = asImage(inShape);
        const [oh, ow] = asImage(outShape);
        const two = layer.dims === 2;
        const [kh, kw] = two ? layer.pool : [1, layer.pool[0]];
        const [sh, sw] = two ? layer.stride : [1, layer.stride[0]];
        const isMax = layer.kind === 'MaxPool';
        for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let ch = 0; ch < c; ch++) {
          let acc = isMax ? -Infinity : 0;
          for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
            const v = x[((oy * sh + i) * w + ox * sw + j) * c + ch];
            acc = isMax ? (v > acc ? v : acc) : acc + v;
          }
          out[(oy * ow + ox) * c + ch] = isMax ? acc : Math.trunc(acc / (kh * kw));
        }
        break;
      }
      case 'GlobalPool': {
        const c = outShape[0];
        const positions = x.length / c;
        for (let ch = 0; ch < c; ch++) {
          let acc = layer.mode === 'max' ? -Infinity : 0;
          for (let p = 0; p < positions; p++) {
            const v = x[p * c + ch];
            acc = layer.mode === 'max' ? (v > acc ? v : acc) : acc + v;
          }
          if (layer.mode === 'max') out[ch] = acc;
          else if (layer.mode === 'avg') out[ch] = Math.trunc(acc / positions);
          else out[ch] = requantize(acc, inFrac - format.output, format.round, bits);
        }
        break;
      }
      case 'Add': {
        const inputs = layer.inputs.map((name) => values.get(name)!);
        const fracs = layer.inputs.map(fracOf);
        const aligned = Math.max(...fracs);
        const factors = fracs.map((f) => 2 ** (aligned - f));
        for (let i = 0; i < out.length; i++) {
          let acc = 0;
          for (let k = 0; k < inputs.length; k++) acc += inputs[k][i] * factors[k];
          out[i] = requantize(activate(acc, layer.activation, layer.activation === 'relu6' ? Math.floor(6 * 2 ** aligned) : undefined), aligned - format.output, format.round, bits);
        }
        break;
      }
      case 'Flatten':
        out.set(x);
        break;
      default:
        throw new UnsupportedError(`layer '${layer.name}' (${layer.kind}) is not supported by the integer reference interpreter`);
    }
    values.set(layer.name, out);
  }
  return values.get(graph.layers[graph.layers.length - 1].name)!;
}
