import type { BlobEncoder } from '../facets/blob';
import type { FlattenLayer } from './layer';

/** No record: the output tensor is the input tensor read as a flat vector. */
export const flattenBlob: BlobEncoder<FlattenLayer> = { encode: () => ({ kind: 'alias' }) };
