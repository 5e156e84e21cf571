import type { CEmitter } from '../facets/c';
import type { FlattenLayer } from './layer';

/** No code, no buffer: the input buffer read as a flat vector. */
export const flattenC: CEmitter<FlattenLayer> = () => ({ kind: 'alias' });
