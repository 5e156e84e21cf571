import type { CEmitter } from '../facets/c';
import { requantizeExpr } from '../shared/arith-c';
import { channelLayout } from './channels';
import type { ConcatenateLayer } from './layer';

/** Per input, its channels of every position: copied when the formats agree (always in float32), else rescaled. */
export const concatenateC: CEmitter<ConcatenateLayer> = (_layer, ctx) => {
  const { positions, channels, runs } = channelLayout(ctx.inShapes, ctx.outShape);
  const lines = runs.flatMap((run, k) => {
    const shift = ctx.number === 'float32' ? 0 : ctx.inFracs[k] - ctx.format!.output;
    const pointer = (base: string, terms: string[]) => [base, ...terms.filter((t) => t !== '0')].join(' + ');
    const target = (p: string) => pointer('out', [p === '0' ? '0' : `${p} * ${channels}`, String(run.offset)]);
    const source = (p: string) => pointer(`in${k}`, [p === '0' ? '0' : `${p} * ${run.channels}`]);
    if (shift === 0) {
      const copy = (p: string) => `memcpy(${target(p)}, ${source(p)}, ${run.channels} * sizeof(model_number_t));`;
      return positions === 1 ? [`  ${copy('0')}`] : [`  for (int p = 0; p < ${positions}; p++) ${copy('p')}`];
    }
    const store = `out[p * ${channels} + ${run.offset} + c] = ${requantizeExpr(ctx, `in${k}[p * ${run.channels} + c]`, shift, ctx.format!.round, false)};`;
    return [`  for (int p = 0; p < ${positions}; p++) {`, `    for (int c = 0; c < ${run.channels}; c++) ${store}`, '  }'];
  });
  return { kind: 'function', body: lines.join('\n'), macs: 0 };
};
