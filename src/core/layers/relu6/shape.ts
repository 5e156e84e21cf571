import type { ShapeRule } from '../facets/shape';
import type { Relu6Layer } from './layer';

export const relu6Shape: ShapeRule<Relu6Layer> = { arity: 'one', output: (_layer, [input]) => [...input] };
