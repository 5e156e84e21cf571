import { table } from '../../config/schema';
import type { DenseLayer } from '../../models/graph';
import { accumulatorSetup } from '../../quantization/reference-int';
import { accumulatorMax, activationStatements, dotProduct, requantizeExpr } from '../arith-c';
import type { LayerEmitContext, LayerEmitter } from '../types';

/** Kernel re-ordered from the IR's [in, units] to [units][in] so each output reads contiguous weights. */
function unitMajor(kernel: ArrayLike<number>, inputs: number, units: number): Float64Array {
  const out = new Float64Array(kernel.length);
  for (let i = 0; i < inputs; i++) for (let u = 0; u < units; u++) out[u * inputs + i] = kernel[i * units + u];
  return out;
}

export const denseEmitter: LayerEmitter = {
  kind: 'Dense',
  summary: 'fully connected layer over a flat input, fused ReLU/ReLU6',
  params: table({}),
  emit(ctx: LayerEmitContext) {
    const layer = ctx.layer as DenseLayer;
    const inputs = ctx.inShapes[0][0];
    const units = layer.units;
    const fixed = ctx.number !== 'float32';
    const source = fixed ? ctx.quantized!.weights[`${layer.name}/kernel`] : ctx.graph.weights[`${layer.name}/kernel`].data;
    const kernel = ctx.constArray('kernel', 'number', unitMajor(source, inputs, units));
    let biasName: string | undefined;
    let tail: string[];
    if (fixed) {
      const setup = accumulatorSetup(ctx.quantized!, layer, ctx.inFracs[0], ctx.longWidth);
      if (setup.bias) biasName = ctx.constArray('bias', 'acc', setup.bias);
      const act = activationStatements(ctx, layer.activation, 'acc', setup.accFrac, '    ', accumulatorMax(ctx.longWidth));
      tail = [...(act ? [act] : []), `    out[u] = ${requantizeExpr(ctx, 'acc', setup.shift, ctx.format!.round, true)};`];
    } else {
      if (layer.useBias) biasName = ctx.constArray('bias', 'number', ctx.graph.weights[`${layer.name}/bias`].data);
      const act = activationStatements(ctx, layer.activation, 'acc', 0, '    ', 0);
      tail = [...(act ? [act] : []), '    out[u] = acc;'];
    }
    const lines = [
      `  for (int u = 0; u < ${units}; u++) {`,
      `    ${fixed ? 'mote_acc_t' : 'float'} acc = ${biasName ? `${biasName}[u]` : '0'};`,
      `    const model_number_t *k = ${kernel} + u * ${inputs};`,
      dotProduct(ctx, inputs, 'in0', 'k', 'acc', '    '),
      ...tail,
      '  }',
    ];
    return { kind: 'function', body: lines.join('\n'), macs: inputs * units };
  },
};
