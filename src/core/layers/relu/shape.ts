import type { ShapeRule } from '../facets/shape';
import type { ReluLayer } from './layer';

export const reluShape: ShapeRule<ReluLayer> = { arity: 'one', output: (_layer, [input]) => [...input] };
