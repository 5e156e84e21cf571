import type { BlobEncoder } from '../facets/blob';
import { poolWindowWords } from '../shared/pool-blob';
import type { AvgPoolLayer } from './layer';

export const avgPoolBlob: BlobEncoder<AvgPoolLayer> = { code: 7, encode: (layer, ctx) => ({ kind: 'layer', params: poolWindowWords(layer, ctx) }) };
