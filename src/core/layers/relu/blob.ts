import type { BlobEncoder } from '../facets/blob';
import type { ReluLayer } from './layer';

export const reluBlob: BlobEncoder<ReluLayer> = {
  code: 4,
  encode: (_layer, ctx) => ({ kind: 'layer', params: [ctx.outShape.reduce((a, b) => a * b, 1)] }),
};
