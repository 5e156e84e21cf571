// Loop nest shared by MaxPool and AvgPool: 'valid' windows over a channels_last input.

import type { PoolLayer } from '../../models/graph';
import type { LayerEmitContext } from '../types';
import { asImage, pair } from './geometry';

/** `start(first)`, `step(v)` and `finish(acc)` are C fragments; `acc` is the accumulator variable. */
export function poolLoops(ctx: LayerEmitContext, accDecl: string, step: string, store: string): string {
  const layer = ctx.layer as PoolLayer;
  const [, w, c] = asImage(ctx.inShapes[0]);
  const [oh, ow] = asImage(ctx.outShape);
  const [kh, kw] = pair(layer, layer.pool, 1);
  const [sh, sw] = pair(layer, layer.stride, 1);
  return [
    `  for (int oy = 0; oy < ${oh}; oy++) {`,
    `    for (int ox = 0; ox < ${ow}; ox++) {`,
    `      for (int ch = 0; ch < ${c}; ch++) {`,
    `        const model_number_t *x = in0 + ((oy * ${sh}) * ${w} + ox * ${sw}) * ${c} + ch;`,
    `        ${accDecl}`,
    `        for (int ky = 0; ky < ${kh}; ky++) {`,
    `          for (int kx = 0; kx < ${kw}; kx++) {`,
    `            const model_number_t v = x[(ky * ${w} + kx) * ${c}];`,
    `            ${step}`,
    '          }',
    '        }',
    `        out[(oy * ${ow} + ox) * ${c} + ch] = ${store};`,
    '      }',
    '    }',
    '  }',
  ].join('\n');
}

export function windowSize(layer: PoolLayer): number {
  return layer.pool.reduce((a, b) => a * b, 1);
}
