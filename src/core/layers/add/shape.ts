import type { ShapeRule } from '../facets/shape';
import { shapeText } from '../shared/geometry';
import type { AddLayer } from './layer';

export const addShape: ShapeRule<AddLayer> = {
  arity: 'several',
  output(layer, inputs, fail) {
    const [first] = inputs;
    for (let i = 1; i < inputs.length; i++) {
      if (shapeText(inputs[i]) !== shapeText(first)) {
        fail(`input shapes differ: '${layer.inputs[0]}' gives ${shapeText(first)} but '${layer.inputs[i]}' gives ${shapeText(inputs[i])}`);
      }
    }
    return [...first];
  },
};
