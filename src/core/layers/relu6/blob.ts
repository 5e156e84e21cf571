import type { BlobEncoder } from '../facets/blob';
import { saturate } from '../shared/fixed-point';
import type { Relu6Layer } from './layer';

/** [size, 6 in the input's format saturated to the number range]. */
export const relu6Blob: BlobEncoder<Relu6Layer> = {
  code: 5,
  encode: (_layer, ctx) => ({ kind: 'layer', params: [ctx.outShape.reduce((a, b) => a * b, 1), saturate(Math.floor(6 * 2 ** ctx.inFracs[0]), ctx.bits)] }),
};
