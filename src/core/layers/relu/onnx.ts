import type { OnnxFacet } from '../facets/onnx';
import type { ReluLayer } from './layer';

export const reluOnnx: OnnxFacet<ReluLayer> = {
  export(_layer, ctx) {
    ctx.node('Relu', [ctx.inputs[0]]);
  },
  imports: { Relu: [] },
  import: () => ({ layer: { kind: 'ReLU' }, inputs: [0], order: 'inherit' }),
};
