import type { ShapeRule } from '../facets/shape';
import { checkSpatial, shapeText, sizeOf, windowOutput } from '../shared/geometry';
import type { ConvLayer } from './layer';

export const convShape: ShapeRule<ConvLayer> = {
  arity: 'one',
  output(layer, [input], fail) {
    checkSpatial(layer, input, { kernel: layer.kernel, stride: layer.stride, padding: layer.padding }, fail);
    const cin = input[input.length - 1];
    if (!Number.isInteger(layer.groups) || layer.groups < 1) fail(`groups must be a positive integer, got ${layer.groups}`);
    if (cin % layer.groups !== 0) fail(`input channels (${cin}) must be divisible by groups (${layer.groups})`);
    if (layer.filters % layer.groups !== 0) fail(`filters (${layer.filters}) must be divisible by groups (${layer.groups})`);
    const spatial = input.slice(0, -1).map((n, d) => windowOutput(n, layer.kernel[d], layer.stride[d], layer.padding[d]));
    if (spatial.some((n) => n < 1)) {
      fail(`kernel ${shapeText(layer.kernel)} with padding ${shapeText(layer.padding)} does not fit the input ${shapeText(input)}; reduce the kernel or add padding`);
    }
    return [...spatial, layer.filters];
  },
  weights(layer, input) {
    const cin = input[input.length - 1];
    const out: Record<string, number[]> = { kernel: [...layer.kernel, cin / layer.groups, layer.filters] };
    if (layer.useBias) out.bias = [layer.filters];
    return out;
  },
  macs(layer, [input], output) {
    return sizeOf(output) * sizeOf(layer.kernel) * (input[input.length - 1] / layer.groups);
  },
};
