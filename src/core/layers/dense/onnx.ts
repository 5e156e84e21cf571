import type { OnnxFacet, OnnxImportContext } from '../facets/onnx';
import type { DenseLayer } from './layer';

/** Mote's kernel is [in, units], Gemm's B with transB = 0; a value flattened from channels-first carries
 * the order its rows must be read in. */
function kernelFrom(ctx: OnnxImportContext, b: Float32Array, rows: number, units: number, transposed: boolean): Float32Array {
  const order = ctx.value(0).order;
  const out = new Float32Array(rows * units);
  for (let i = 0; i < rows; i++) {
    const row = order ? order[i] : i;
    for (let u = 0; u < units; u++) out[row * units + u] = transposed ? b[u * rows + i] : b[i * units + u];
  }
  return out;
}

export const denseOnnx: OnnxFacet<DenseLayer> = {
  export(layer, ctx) {
    const kernel = ctx.weight('kernel');
    const inputs = [ctx.inputs[0], ctx.initializer('kernel', kernel.shape, kernel.data)];
    if (layer.useBias) inputs.push(ctx.initializer('bias', [layer.units], ctx.weight('bias').data));
    ctx.node('Gemm', inputs);
  },
  imports: { Gemm: ['alpha', 'beta', 'transA', 'transB'], MatMul: [] },
  import(ctx) {
    const x = ctx.value(0);
    if (x.shape.length !== 1) ctx.fail(`Mote's Dense reads a flat [N, features] input; this one is ${x.shape.length + 1}-D (add a Flatten before it)`);
    if (ctx.int('transA', 0) !== 0) ctx.fail('transA = 1 is not supported (the input must be [N, features])');
    if (ctx.float('alpha', 1) !== 1 || ctx.float('beta', 1) !== 1) ctx.fail('alpha and beta other than 1 are not supported');
    const b = ctx.needConstant(1, 'the weight (input 1)');
    const transposed = ctx.op === 'Gemm' && ctx.int('transB', 0) === 1;
    if (b.dims.length !== 2) ctx.fail(`the weight has shape [${b.dims.join(', ')}]; a Gemm/MatMul weight is 2-D`);
    const [rows, units] = transposed ? [b.dims[1], b.dims[0]] : b.dims;
    if (rows !== x.shape[0]) ctx.fail(`the weight [${b.dims.join(', ')}]${transposed ? ' (transB)' : ''} reads ${rows} features but the input has ${x.shape[0]}`);
    const weights: Record<string, { shape: number[]; data: Float32Array }> = { kernel: { shape: [rows, units], data: kernelFrom(ctx, b.values, rows, units, transposed) } };
    const c = ctx.op === 'Gemm' ? ctx.constant(2) : undefined;
    if (ctx.op === 'Gemm' && !ctx.absent(2) && !c) ctx.fail('the bias (input 2) must be an initializer or a Constant');
    if (c) {
      if (c.values.length !== units) ctx.fail(`the bias has shape [${c.dims.join(', ')}]; Mote needs one value per unit (${units})`);
      weights.bias = { shape: [units], data: Float32Array.from(c.values) };
    }
    return { layer: { kind: 'Dense', units, useBias: c !== undefined, activation: 'linear' }, inputs: [0], weights, order: 'consumed' };
  },
};
