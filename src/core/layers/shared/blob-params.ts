// Parameter spellings the layers' blob facets share: 64-bit values as two int32 words (low first), and the
// accumulator set-up of Conv/Dense (shared/accumulator.ts) as the runtime reads it.

import type { BlobEmitContext } from '../facets/blob';
import type { Activation } from '../ir';
import { accumulatorSetup } from './accumulator';
import { accumulatorMax } from './arith-c';
import { roundingAddend, type RoundMode } from './fixed-point';

/** A safe integer as [low 32 bits, high 32 bits], both as signed int32. */
export function int64Words(value: number): [number, number] {
  const big = BigInt(value);
  return [Number(BigInt.asIntN(32, big)), Number(BigInt.asIntN(32, big >> 32n))];
}

/** shift, then the round mode's addend as two words. */
export function rescaleWords(shift: number, round: RoundMode): number[] {
  return [shift, ...int64Words(roundingAddend(shift, round))];
}

const ACTIVATION_CODES: Record<Activation, number> = { linear: 0, relu: 1, relu6: 2 };

/**
 * Conv/Dense: [activation, shift, addend lo, addend hi, limit lo, limit hi] and the bias's byte offset (−1
 * without bias). A relu6 limit the accumulator cannot reach is a plain relu, as in the generated C.
 */
export function accumulatorWords(ctx: BlobEmitContext, activation: Activation): { words: number[]; bias: number } {
  const setup = accumulatorSetup(ctx.format, ctx.intWeight('bias'), activation, ctx.inFracs[0], ctx.longWidth);
  let code = ACTIVATION_CODES[activation];
  if (code === 2 && !(setup.reluLimit! < accumulatorMax(ctx.longWidth))) code = 1;
  const bias = setup.bias ? ctx.weights('acc', setup.bias) : -1;
  return { words: [code, ...rescaleWords(setup.shift, ctx.format.round), ...int64Words(code === 2 ? setup.reluLimit! : 0)], bias };
}

export function activationCode(activation: Activation): number {
  return ACTIVATION_CODES[activation];
}
