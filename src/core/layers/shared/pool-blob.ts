// The pooling window's blob parameters (MaxPool, AvgPool): [h, w, c, oh, ow, kh, kw, sh, sw].

import type { BlobEmitContext } from '../facets/blob';
import { asImage, pair } from './geometry';
import type { PoolWindow } from './pool-window';

export function poolWindowWords(layer: PoolWindow, ctx: BlobEmitContext): number[] {
  const [h, w, c] = asImage(ctx.inShapes[0]);
  const [oh, ow] = asImage(ctx.outShape);
  return [h, w, c, oh, ow, ...pair(layer, layer.pool, 1), ...pair(layer, layer.stride, 1)];
}
