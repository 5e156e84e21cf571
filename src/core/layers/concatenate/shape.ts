import type { ShapeRule } from '../facets/shape';
import { shapeText } from '../shared/geometry';
import type { ConcatenateLayer } from './layer';

export const concatenateShape: ShapeRule<ConcatenateLayer> = {
  arity: 'several',
  output(layer, inputs, fail) {
    const [first] = inputs;
    const outer = shapeText(first.slice(0, -1));
    for (let i = 1; i < inputs.length; i++) {
      if (inputs[i].length !== first.length || shapeText(inputs[i].slice(0, -1)) !== outer) {
        fail(`inputs must agree on every dim but the channels (the last): '${layer.inputs[0]}' gives ${shapeText(first)} but '${layer.inputs[i]}' gives ${shapeText(inputs[i])}`);
      }
    }
    return [...first.slice(0, -1), inputs.reduce((sum, shape) => sum + shape[shape.length - 1], 0)];
  },
};
