import { intAttr, type OnnxFacet } from '../facets/onnx';
import type { ConcatenateLayer } from './layer';

// Mote joins along channels_last's last axis, which is ONNX's axis 1 for spatial ([N, C, …]) and flat ([N, F]) tensors alike.
export const concatenateOnnx: OnnxFacet<ConcatenateLayer> = {
  export(_layer, ctx) {
    ctx.node('Concat', ctx.inputs, { axis: intAttr(1) });
  },
  imports: { Concat: ['axis'] },
  import(ctx) {
    const inputs = Array.from({ length: ctx.inputCount }, (_, i) => i);
    const rank = ctx.value(0).shape.length + 1;
    const axis = ctx.int('axis', 1);
    if (axis !== 1 && axis !== 1 - rank) ctx.fail(`axis = ${axis} is not supported; Mote concatenates along the channels (axis 1)`);
    if (inputs.length < 2) return { alias: 0 };
    return { layer: { kind: 'Concatenate' }, inputs };
  },
};
