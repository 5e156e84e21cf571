import { intAttr, type OnnxFacet } from '../facets/onnx';
import type { SoftmaxLayer } from './layer';

export const softmaxOnnx: OnnxFacet<SoftmaxLayer> = {
  export(_layer, ctx) {
    ctx.node('Softmax', [ctx.inputs[0]], { axis: intAttr(1) });
  },
  imports: { Softmax: ['axis'] },
  import(ctx) {
    const x = ctx.value(0);
    if (x.shape.length !== 1) ctx.fail('Mote applies Softmax to a flat [N, classes] input only');
    const axis = ctx.int('axis', ctx.opset >= 13 ? -1 : 1);
    if (axis !== 1 && axis !== -1) ctx.fail(`axis = ${axis} is not supported; Mote's Softmax runs over the classes (axis 1)`);
    return { layer: { kind: 'Softmax' }, inputs: [0] };
  },
};
