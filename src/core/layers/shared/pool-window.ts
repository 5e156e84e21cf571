// The 'valid' pooling window MaxPool and AvgPool share in every stage: its shape rule, its loops in the
// float and integer references, and its C loop nest (channels_last input, stride defaults to the pool).

import type { CEmitContext } from '../facets/c';
import type { SpatialDims } from '../ir';
import { asImage, checkSpatial, pair, shapeText, windowOutput } from './geometry';

export interface PoolWindow {
  dims: SpatialDims;
  pool: number[];
  stride: number[];
}

export type PoolMode = 'max' | 'avg';

export function poolOutputShape(layer: PoolWindow, input: readonly number[], fail: (message: string) => never): number[] {
  checkSpatial(layer, input, { pool: layer.pool, stride: layer.stride }, fail);
  const spatial = input.slice(0, -1).map((n, d) => windowOutput(n, layer.pool[d], layer.stride[d], 0));
  if (spatial.some((n) => n < 1)) fail(`pool ${shapeText(layer.pool)} is larger than its input ${shapeText(input)}`);
  return [...spatial, input[input.length - 1]];
}

export function windowSize(layer: PoolWindow): number {
  return layer.pool.reduce((a, b) => a * b, 1);
}

/** Float reference: max, or mean of the window. */
export function poolFloat(layer: PoolWindow, mode: PoolMode, x: Float32Array, inShape: number[], outShape: number[]): Float32Array {
  const [, w, c] = asImage(inShape);
  const [oh, ow] = asImage(outShape);
  const [kh, kw] = pair(layer, layer.pool, 1);
  const [sh, sw] = pair(layer, layer.stride, 1);
  const out = new Float32Array(oh * ow * c);
  const isMax = mode === 'max';
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) {
      for (let ch = 0; ch < c; ch++) {
        let acc = isMax ? -Infinity : 0;
        for (let i = 0; i < kh; i++) {
          for (let j = 0; j < kw; j++) {
            const v = x[((oy * sh + i) * w + ox * sw + j) * c + ch];
            acc = isMax ? (v > acc ? v : acc) : acc + v;
          }
        }
        out[(oy * ow + ox) * c + ch] = isMax ? acc : acc / (kh * kw);
      }
    }
  }
  return out;
}

/** Integer reference: max, or the exact sum divided with truncation toward zero (Qualia); same format as the input. */
export function poolInteger(layer: PoolWindow, mode: PoolMode, x: Int32Array, inShape: number[], outShape: number[], out: Int32Array): void {
  const [, w, c] = asImage(inShape);
  const [oh, ow] = asImage(outShape);
  const [kh, kw] = pair(layer, layer.pool, 1);
  const [sh, sw] = pair(layer, layer.stride, 1);
  const isMax = mode === 'max';
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) for (let ch = 0; ch < c; ch++) {
    let acc = isMax ? -Infinity : 0;
    for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
      const v = x[((oy * sh + i) * w + ox * sw + j) * c + ch];
      acc = isMax ? (v > acc ? v : acc) : acc + v;
    }
    out[(oy * ow + ox) * c + ch] = isMax ? acc : Math.trunc(acc / (kh * kw));
  }
}

/** The C loop nest; `accDecl`, `step` (reading `v`) and `store` (an expression of `acc`) are C fragments. */
export function poolLoopsC(layer: PoolWindow, ctx: CEmitContext, accDecl: string, step: string, store: string): string {
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
