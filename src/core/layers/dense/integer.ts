import type { IntegerReference } from '../facets/integer';
import { accumulatorSetup } from '../shared/accumulator';
import { activateInteger } from '../shared/activation';
import { requantizer, wrapTo } from '../shared/fixed-point';
import type { DenseLayer } from './layer';

// Kernels re-ordered once per weight array so the inner loop reads contiguous memory (like the C).
const unitMajorCache = new WeakMap<Int32Array, Int32Array>();

function unitMajor(kernel: Int32Array, inputs: number, units: number): Int32Array {
  let out = unitMajorCache.get(kernel);
  if (!out) {
    out = new Int32Array(kernel.length);
    for (let i = 0; i < inputs; i++) for (let u = 0; u < units; u++) out[u * inputs + i] = kernel[i * units + u];
    unitMajorCache.set(kernel, out);
  }
  return out;
}

export const denseInteger: IntegerReference<DenseLayer> = (layer, { inputs: [x], inFracs, format, bits, longWidth, weight, out }) => {
  const n = x.length;
  const kernel = unitMajor(weight('kernel')!, n, layer.units);
  const { shift, bias, reluLimit } = accumulatorSetup(format, weight('bias'), layer.activation, inFracs[0], longWidth);
  const rescale = requantizer(shift, format.round, bits);
  for (let u = 0; u < layer.units; u++) {
    let sum = bias ? bias[u] : 0;
    const base = u * n;
    for (let i = 0; i < n; i++) sum += x[i] * kernel[base + i];
    out[u] = rescale(activateInteger(wrapTo(sum, longWidth), layer.activation, reluLimit));
  }
};
