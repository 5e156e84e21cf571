import { checkPlainWindow, intAttr, intsAttr, padsToPadding, symmetricPads, type OnnxFacet } from '../facets/onnx';
import type { ConvLayer } from './layer';

// ONNX's Conv weight is [filters, cin/groups, kh, kw] (or [filters, cin/groups, k]); Mote's kernel is
// [kh, kw, cin/groups, filters] (or [k, cin/groups, filters]): the same numbers, filters moved to the front.
function toOnnxWeight(kernel: Float32Array, spatial: number, cinPerGroup: number, filters: number): Float32Array {
  const out = new Float32Array(kernel.length);
  for (let s = 0; s < spatial; s++) for (let c = 0; c < cinPerGroup; c++) for (let f = 0; f < filters; f++) {
    out[(f * cinPerGroup + c) * spatial + s] = kernel[(s * cinPerGroup + c) * filters + f];
  }
  return out;
}

function fromOnnxWeight(weight: Float32Array, spatial: number, cinPerGroup: number, filters: number): Float32Array {
  const out = new Float32Array(weight.length);
  for (let s = 0; s < spatial; s++) for (let c = 0; c < cinPerGroup; c++) for (let f = 0; f < filters; f++) {
    out[(s * cinPerGroup + c) * filters + f] = weight[(f * cinPerGroup + c) * spatial + s];
  }
  return out;
}

export const convOnnx: OnnxFacet<ConvLayer> = {
  export(layer, ctx) {
    const kernel = ctx.weight('kernel');
    const cinPerGroup = kernel.shape[kernel.shape.length - 2];
    const spatial = layer.kernel.reduce((a, b) => a * b, 1);
    const inputs = [ctx.inputs[0], ctx.initializer('kernel', [layer.filters, cinPerGroup, ...layer.kernel], toOnnxWeight(kernel.data, spatial, cinPerGroup, layer.filters))];
    if (layer.useBias) inputs.push(ctx.initializer('bias', [layer.filters], ctx.weight('bias').data));
    ctx.node('Conv', inputs, { kernel_shape: intsAttr(layer.kernel), pads: intsAttr(symmetricPads(layer.padding)), strides: intsAttr(layer.stride), group: intAttr(layer.groups) });
  },
  imports: { Conv: ['kernel_shape', 'strides', 'pads', 'group', 'dilations', 'auto_pad'] },
  import(ctx) {
    const x = ctx.value(0);
    const dims = x.shape.length - 1;
    if (dims !== 1 && dims !== 2) ctx.fail(`Mote runs 1-D and 2-D convolutions; the input has ${dims} spatial dims`);
    const w = ctx.needConstant(1, 'the weight (input 1)');
    if (w.dims.length !== dims + 2) ctx.fail(`the weight has shape [${w.dims.join(', ')}]; a ${dims}-D Conv needs rank ${dims + 2}`);
    const [filters, cinPerGroup, ...kernel] = w.dims;
    const declared = ctx.ints('kernel_shape', kernel);
    if (declared.join() !== kernel.join()) ctx.fail(`kernel_shape [${declared.join(', ')}] disagrees with the weight's [${kernel.join(', ')}]`);
    checkPlainWindow(ctx, dims);
    const groups = ctx.int('group', 1);
    const cin = x.shape[x.shape.length - 1];
    if (groups < 1 || cin % groups !== 0 || cin / groups !== cinPerGroup || filters % groups !== 0) {
      ctx.fail(`group = ${groups} with ${cin} input channels and a weight of [${w.dims.join(', ')}] do not fit (cin/group must equal the weight's dim 1)`);
    }
    const stride = ctx.ints('strides', Array(dims).fill(1));
    const padding = padsToPadding(ctx, dims);
    const bias = ctx.constant(2);
    if (!ctx.absent(2) && !bias) ctx.fail('the bias (input 2) must be an initializer or a Constant');
    if (bias && (bias.values.length !== filters)) ctx.fail(`the bias holds ${bias.values.length} values; the weight has ${filters} filters`);
    const spatial = kernel.reduce((a, b) => a * b, 1);
    const weights: Record<string, { shape: number[]; data: Float32Array }> = {
      kernel: { shape: [...kernel, cinPerGroup, filters], data: fromOnnxWeight(w.values, spatial, cinPerGroup, filters) },
    };
    if (bias) weights.bias = { shape: [filters], data: Float32Array.from(bias.values) };
    return {
      layer: { kind: 'Conv', dims: dims as 1 | 2, filters, kernel, stride, padding, groups, useBias: bias !== undefined, activation: 'linear' },
      inputs: [0],
      weights,
    };
  },
};
