import type { OnnxFacet, OnnxImportContext } from '../facets/onnx';
import type { Relu6Layer } from './layer';

/** Clip's bound: an input from opset 11 on, an attribute before. */
function bound(ctx: OnnxImportContext, input: number, attribute: string, fallback: number): number {
  if (ctx.opset < 11) return ctx.float(attribute, fallback);
  if (ctx.absent(input)) return fallback;
  const c = ctx.needConstant(input, `the ${attribute} bound (input ${input})`);
  if (c.values.length !== 1) ctx.fail(`the ${attribute} bound (input ${input}) must be a scalar`);
  return c.values[0];
}

export const relu6Onnx: OnnxFacet<Relu6Layer> = {
  export(_layer, ctx) {
    ctx.node('Clip', [ctx.inputs[0], ctx.initializer('min', [], Float32Array.of(0)), ctx.initializer('max', [], Float32Array.of(6))]);
  },
  imports: { Clip: ['min', 'max'] },
  import(ctx) {
    const min = bound(ctx, 1, 'min', -Infinity);
    const max = bound(ctx, 2, 'max', Infinity);
    if (min !== 0 || max !== 6) ctx.fail(`Clip to [${min}, ${max}] is not supported; Mote imports Clip to [0, 6] (ReLU6) only`);
    return { layer: { kind: 'ReLU6' }, inputs: [0], order: 'inherit' };
  },
};
