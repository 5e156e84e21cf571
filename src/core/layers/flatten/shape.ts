import type { ShapeRule } from '../facets/shape';
import { sizeOf } from '../shared/geometry';
import type { FlattenLayer } from './layer';

export const flattenShape: ShapeRule<FlattenLayer> = { arity: 'one', output: (_layer, [input]) => [sizeOf(input)] };
