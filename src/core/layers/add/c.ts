import type { CEmitter } from '../facets/c';
import { activationStatements, requantizeExpr } from '../shared/arith-c';
import { intLiteral } from '../shared/c-literals';
import type { AddLayer } from './layer';

export const addC: CEmitter<AddLayer> = (layer, ctx) => {
  const size = ctx.outShape.reduce((a, b) => a * b, 1);
  const inputs = layer.inputs.map((_, i) => `in${i}`);
  let lines: string[];
  if (ctx.number === 'float32') {
    const act = activationStatements(ctx, layer.activation, 'acc', 0, '    ', 0);
    lines = [`    float acc = ${inputs.map((x) => `${x}[i]`).join(' + ')};`, ...(act ? [act] : []), '    out[i] = acc;'];
  } else {
    const aligned = Math.max(...ctx.inFracs);
    const terms = inputs.map((x, k) => {
      const shift = aligned - ctx.inFracs[k];
      return shift === 0 ? `(mote_wide_t)${x}[i]` : `(mote_wide_t)${x}[i] * ${intLiteral(2 ** shift)}`;
    });
    const act = activationStatements(ctx, layer.activation, 'acc', aligned, '    ', 2 ** 53);
    lines = [`    mote_wide_t acc = ${terms.join(' + ')};`, ...(act ? [act] : []), `    out[i] = ${requantizeExpr(ctx, 'acc', aligned - ctx.format!.output, ctx.format!.round, false)};`];
  }
  return { kind: 'function', body: [`  for (int i = 0; i < ${size}; i++) {`, ...lines, '  }'].join('\n'), macs: 0 };
};
