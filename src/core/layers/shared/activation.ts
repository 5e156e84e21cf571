// Fused activations (Conv, Dense, Add carry one after lowering) in the float and integer references.

import type { Activation } from '../ir';

export function activateFloat(value: number, activation: Activation): number {
  if (activation === 'relu') return value > 0 ? value : 0;
  if (activation === 'relu6') return value < 0 ? 0 : value > 6 ? 6 : value;
  return value;
}

/** The fused activation on an exact accumulator value; `limit` is 6 in the accumulator's format (relu6). */
export function activateInteger(acc: number, activation: Activation, limit: number | undefined): number {
  if (activation === 'linear') return acc;
  if (acc < 0) return 0;
  return limit !== undefined && acc > limit ? limit : acc;
}
