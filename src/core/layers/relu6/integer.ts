import type { IntegerReference } from '../facets/integer';
import { saturate } from '../shared/fixed-point';
import type { Relu6Layer } from './layer';

/** Clamped to [0, 6] in the input's format (6 saturated to the number range). */
export const relu6Integer: IntegerReference<Relu6Layer> = (_layer, { inputs: [x], inFracs, bits, out }) => {
  const limit = saturate(Math.floor(6 * 2 ** inFracs[0]), bits);
  for (let i = 0; i < x.length; i++) out[i] = x[i] < 0 ? 0 : x[i] > limit ? limit : x[i];
};
