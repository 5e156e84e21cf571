import type { OnnxFacet } from '../facets/onnx';
import type { DropoutLayer } from './layer';

// Dropout is the identity at inference; ONNX's Dropout (ratio as an input from opset 12) is too.
export const dropoutOnnx: OnnxFacet<DropoutLayer> = {
  export(layer, ctx) {
    ctx.node('Dropout', [ctx.inputs[0], ctx.initializer('ratio', [], Float32Array.of(layer.rate))]);
  },
  imports: { Dropout: ['ratio', 'seed', 'is_test'], Identity: [] },
  import(ctx) {
    if (ctx.op === 'Identity') return { alias: 0 };
    let rate = 0.5;
    if (ctx.opset < 12) rate = ctx.float('ratio', 0.5);
    else if (!ctx.absent(1)) {
      const c = ctx.needConstant(1, 'the ratio (input 1)');
      if (c.values.length !== 1) ctx.fail('the ratio (input 1) must be a scalar');
      rate = c.values[0];
    }
    if (!ctx.absent(2)) {
      const training = ctx.needConstant(2, 'training_mode (input 2)');
      if (training.values[0] !== 0) ctx.fail('training_mode must be a constant false; export an inference graph (model.eval())');
    }
    return { layer: { kind: 'Dropout', rate }, inputs: [0], order: 'inherit' };
  },
};
