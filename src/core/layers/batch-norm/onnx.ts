import { floatAttr, type OnnxFacet } from '../facets/onnx';
import type { BatchNormLayer } from './layer';

const ROLES = ['gamma', 'beta', 'mean', 'variance'] as const;

// ONNX's momentum weighs the running statistic (running = running·m + batch·(1 − m)); PyTorch's and Mote's
// weigh the batch: one is 1 minus the other.
export const batchNormOnnx: OnnxFacet<BatchNormLayer> = {
  export(layer, ctx) {
    const channels = ctx.outShape[ctx.outShape.length - 1];
    const inputs = [ctx.inputs[0], ...ROLES.map((role) => ctx.initializer(role, [channels], ctx.weight(role).data))];
    ctx.node('BatchNormalization', inputs, { epsilon: floatAttr(layer.epsilon), momentum: floatAttr(1 - layer.momentum) });
  },
  imports: { BatchNormalization: ['epsilon', 'momentum', 'training_mode', 'spatial'] },
  import(ctx) {
    const x = ctx.value(0);
    if (ctx.int('training_mode', 0) !== 0) ctx.fail('training_mode = 1 is not an inference graph; export with model.eval()');
    const channels = x.shape[x.shape.length - 1];
    const weights: Record<string, { shape: number[]; data: Float32Array }> = {};
    ROLES.forEach((role, i) => {
      const c = ctx.needConstant(i + 1, `${['scale', 'B', 'input_mean', 'input_var'][i]} (input ${i + 1})`);
      if (c.values.length !== channels) ctx.fail(`${['scale', 'B', 'input_mean', 'input_var'][i]} holds ${c.values.length} values for ${channels} channels`);
      weights[role] = { shape: [channels], data: Float32Array.from(c.values) };
    });
    return { layer: { kind: 'BatchNorm', epsilon: ctx.float('epsilon', 1e-5), momentum: 1 - ctx.float('momentum', 0.9) }, inputs: [0], weights };
  },
};
