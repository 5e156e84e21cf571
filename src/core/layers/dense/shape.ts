import type { ShapeRule } from '../facets/shape';
import { shapeText } from '../shared/geometry';
import type { DenseLayer } from './layer';

export const denseShape: ShapeRule<DenseLayer> = {
  arity: 'one',
  output(layer, [input], fail) {
    if (input.length !== 1) fail(`needs a flat input [features], got ${shapeText(input)}; put a Flatten layer before it`);
    if (!Number.isInteger(layer.units) || layer.units < 1) fail(`units must be a positive integer, got ${layer.units}`);
    return [layer.units];
  },
  weights(layer, input) {
    const out: Record<string, number[]> = { kernel: [input[0], layer.units] };
    if (layer.useBias) out.bias = [layer.units];
    return out;
  },
  macs: (layer, [input]) => input[0] * layer.units,
};
