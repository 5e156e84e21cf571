import type { BlobEncoder } from '../facets/blob';
import { poolWindowWords } from '../shared/pool-blob';
import type { MaxPoolLayer } from './layer';

export const maxPoolBlob: BlobEncoder<MaxPoolLayer> = { code: 6, encode: (layer, ctx) => ({ kind: 'layer', params: poolWindowWords(layer, ctx) }) };
