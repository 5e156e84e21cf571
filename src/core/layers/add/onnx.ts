import type { OnnxFacet } from '../facets/onnx';
import type { AddLayer } from './layer';

export const addOnnx: OnnxFacet<AddLayer> = {
  // Two inputs are ONNX's Add; more are its Sum (one node, the same sum).
  export(_layer, ctx) {
    ctx.node(ctx.inputs.length === 2 ? 'Add' : 'Sum', ctx.inputs);
  },
  imports: { Add: [], Sum: [] },
  import(ctx) {
    const inputs = Array.from({ length: ctx.inputCount }, (_, i) => i);
    for (const i of inputs) {
      if (ctx.constant(i)) ctx.fail(`input ${i} is a constant; Mote adds computed tensors of one shape only (fold a bias into the Conv/Gemm before it)`);
    }
    const shapes = inputs.map((i) => ctx.value(i).shape.join('×'));
    if (new Set(shapes).size !== 1) ctx.fail(`the inputs have different shapes (${shapes.join(', ')}); Mote does not broadcast`);
    if (inputs.length < 2) return { alias: 0 };
    return { layer: { kind: 'Add', activation: 'linear' }, inputs, order: 'inherit' };
  },
};
