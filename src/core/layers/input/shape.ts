import type { ShapeRule } from '../facets/shape';
import { shapeText } from '../shared/geometry';
import type { InputLayer } from './layer';

export const inputShape: ShapeRule<InputLayer> = {
  arity: 'none',
  output(layer, _inputs, fail) {
    if (layer.shape.length < 1 || layer.shape.some((d) => !Number.isInteger(d) || d < 1)) fail(`shape must hold positive integers, got ${shapeText(layer.shape)}`);
    return [...layer.shape];
  },
};
