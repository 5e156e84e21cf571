import type { CEmitter } from '../facets/c';
import { accumulatorSetup } from '../shared/accumulator';
import { requantizeExpr } from '../shared/arith-c';
import { batchNormAffine } from './affine';
import type { BatchNormLayer } from './layer';

export const batchNormC: CEmitter<BatchNormLayer> = (layer, ctx) => {
  const shape = ctx.inShapes[0];
  const channels = shape[shape.length - 1];
  const positions = shape.reduce((a, b) => a * b, 1) / channels;
  let statement: string;
  if (ctx.number === 'float32') {
    const { kernel, bias } = batchNormAffine(layer, ctx.weight);
    const k = ctx.constArray('kernel', 'number', kernel);
    const b = ctx.constArray('bias', 'number', bias);
    statement = `      out[p * ${channels} + c] = in0[p * ${channels} + c] * ${k}[c] + ${b}[c];`;
  } else {
    const setup = accumulatorSetup(ctx.format!, ctx.intWeight('bias'), 'linear', ctx.inFracs[0], ctx.longWidth);
    const k = ctx.constArray('kernel', 'number', ctx.intWeight('kernel')!);
    const b = ctx.constArray('bias', 'acc', setup.bias!);
    statement = [
      `      const mote_acc_t acc = mote_mac(${b}[c], (int32_t)in0[p * ${channels} + c] * ${k}[c]);`,
      `      out[p * ${channels} + c] = ${requantizeExpr(ctx, 'acc', setup.shift, ctx.format!.round, true)};`,
    ].join('\n');
  }
  const lines = [`  for (int p = 0; p < ${positions}; p++) {`, `    for (int c = 0; c < ${channels}; c++) {`, statement, '    }', '  }'];
  return { kind: 'function', body: lines.join('\n'), macs: positions * channels };
};
