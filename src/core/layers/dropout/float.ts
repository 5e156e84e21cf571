import type { FloatReference } from '../facets/float';
import type { DropoutLayer } from './layer';

/** Inference semantics: the identity. */
export const dropoutFloat: FloatReference<DropoutLayer> = (_layer, { inputs: [x] }) => x;
