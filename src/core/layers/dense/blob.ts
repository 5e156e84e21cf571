import type { BlobEncoder } from '../facets/blob';
import { packWeights } from '../shared/arith-c';
import { accumulatorWords } from '../shared/blob-params';
import type { DenseLayer } from './layer';

/** Kernel from the IR's [in, units] to [units][in]. */
function unitMajor(kernel: Int32Array, inputs: number, units: number): Int32Array {
  const out = new Int32Array(kernel.length);
  for (let i = 0; i < inputs; i++) for (let u = 0; u < units; u++) out[u * inputs + i] = kernel[i * units + u];
  return out;
}

export const denseBlob: BlobEncoder<DenseLayer> = {
  code: 2,
  encode(layer, ctx) {
    const inputs = ctx.inShapes[0][0];
    const um = unitMajor(ctx.intWeight('kernel')!, inputs, layer.units);
    const kernel = ctx.packed ? ctx.weights('word', packWeights(um, layer.units, 1, inputs, ctx.packed)) : ctx.weights('number', um);
    const acc = accumulatorWords(ctx, layer.activation);
    return { kind: 'layer', params: [inputs, layer.units, ...acc.words, ctx.packed ? 1 : 0, kernel, acc.bias] };
  },
};
