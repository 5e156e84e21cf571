// Power-of-two fixed-point arithmetic exactly as the generated C performs it. Every layer's integer
// reference (layers/<kind>/integer.ts) and C emitter (layers/<kind>/c.ts) follow this page; change one,
// change the other.
//
// - A value x with `frac` fractional bits is stored as round(x · 2^frac) saturated to [−2^(b−1), 2^(b−1)−1].
// - Conv/Dense/BatchNorm accumulate products in the accumulator type (converter `long_width`, 32 by
//   default): each addition wraps around modulo 2^long_width, as two's-complement C does with the casts the
//   generator emits (the C adds in the unsigned type of the same width, so nothing is undefined).
// - `requantize(acc, shift)` is computed without wrap-around in a wider type (int32 for 16-bit
//   accumulators, int64 otherwise): shift > 0 adds 2^(shift−1) (nearest, half-up), 0 (floor) or
//   2^shift − 1 (ceil) and shifts right arithmetically (= floor division); shift < 0 multiplies by 2^−shift;
//   the result is saturated to the number format.
// - Add, pooling and global pooling sum exactly (their sums cannot wrap: the generator checks the bounds).

import { UnsupportedError } from '../../base/errors';

/** Qualia's `roundtype`: how a value is rounded when it loses fractional bits. */
export const ROUND_MODES = ['nearest', 'floor', 'ceil'] as const;
export type RoundMode = (typeof ROUND_MODES)[number];

export type FixedBits = 8 | 16;
export type LongWidth = 16 | 32 | 64;

/**
 * Mote's default accumulator width when `long_width` is not set: wide enough that sums do not wrap in
 * practice. int8 × int8 products are below 2^14, so 32 bits hold 2^17 of them; int16 × int16 products reach
 * 2^30, so two can already overflow 32 bits (Qualia's int16 default, which is why its int16 configs force
 * q = 9): int16 accumulates in 64 bits (one SMLALD per pair on Cortex-M4).
 */
export function defaultLongWidth(bits: number): LongWidth {
  return bits === 16 ? 64 : 32;
}

export function rangeOf(bits: number): { min: number; max: number } {
  return { min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 };
}

export function saturate(value: number, bits: number): number {
  const max = 2 ** (bits - 1) - 1;
  const min = -max - 1;
  return value < min ? min : value > max ? max : value;
}

/** Qualia's round(): nearest is half-up (floor(x + 0.5)), matching the C shifts. */
export function roundWith(value: number, mode: RoundMode): number {
  if (mode === 'nearest') return Math.floor(value + 0.5);
  if (mode === 'floor') return Math.floor(value);
  return Math.ceil(value);
}

/** Integer representation of a float with `frac` fractional bits, saturated. */
export function quantizeValue(value: number, frac: number, bits: number, mode: RoundMode): number {
  return saturate(roundWith(value * 2 ** frac, mode), bits);
}

/** Largest shift the generated C performs (kept where the TypeScript reference computes `acc + 2^shift` exactly in doubles). */
export const MAX_SHIFT = 52;

/**
 * Fractional bits for a tensor whose largest magnitude is `maxAbs` (Qualia's minmax, symmetric):
 * n = bits − 1 − (⌊log2 max⌋ + 1), or `forceQ` when given. A zero range (a tensor that is always 0)
 * gets bits − 1, the finest format; any format represents 0 exactly.
 */
export function fractionalBits(maxAbs: number, bits: number, forceQ?: number): number {
  if (forceQ !== undefined) return forceQ;
  if (!(maxAbs > 0)) return bits - 1;
  if (!Number.isFinite(maxAbs)) throw new UnsupportedError(`a tensor has an infinite or NaN range; check the model and the calibration data for NaN/Inf`);
  const n = bits - 1 - (Math.floor(Math.log2(maxAbs)) + 1);
  return Math.max(-MAX_SHIFT / 2, Math.min(MAX_SHIFT / 2, n));
}

/** `acc + value` with the wrap-around of a `width`-bit two's-complement accumulator. */
export function wrapAdd(acc: number, value: number, width: LongWidth): number {
  if (width === 32) return (acc + value) | 0;
  if (width === 16) return ((acc + value) << 16) >> 16;
  const sum = acc + value;
  if (!Number.isSafeInteger(sum)) throw new UnsupportedError(`a 64-bit accumulator left the range the TypeScript reference computes exactly (±2^53); reduce the layer size or the number of fractional bits`);
  return sum;
}

/** Wraps an exact integer into the accumulator type (conversion of an exact value to intN_t). */
export function wrapTo(value: number, width: LongWidth): number {
  if (width === 64) {
    if (!Number.isSafeInteger(value)) throw new UnsupportedError(`a 64-bit accumulator left the range the TypeScript reference computes exactly (±2^53); reduce the layer size or the number of fractional bits`);
    return value;
  }
  if (width === 32) return value | 0;
  return (value << 16) >> 16;
}

export function roundingAddend(shift: number, mode: RoundMode): number {
  if (shift <= 0) return 0;
  if (mode === 'nearest') return 2 ** (shift - 1);
  if (mode === 'ceil') return 2 ** shift - 1;
  return 0;
}

/** Rescales an exact integer by 2^−shift with the round mode, then saturates to `bits`. */
export function requantize(acc: number, shift: number, mode: RoundMode, bits: number): number {
  if (shift > 0) {
    const sum = acc + roundingAddend(shift, mode);
    if (!Number.isSafeInteger(sum)) throw new UnsupportedError(`an accumulator value (${acc}) left the range the TypeScript reference computes exactly (±2^53); use a narrower long_width or fewer fractional bits`);
    return saturate(Math.floor(sum / 2 ** shift), bits);
  }
  if (shift === 0) return saturate(acc, bits);
  return saturate(acc * 2 ** -shift, bits);
}

/** `requantize` with its constants bound once per layer (the integer reference's hot path). */
export function requantizer(shift: number, mode: RoundMode, bits: number): (acc: number) => number {
  const max = 2 ** (bits - 1) - 1;
  const min = -max - 1;
  if (shift > 0) {
    const addend = roundingAddend(shift, mode);
    const divisor = 2 ** shift;
    return (acc) => {
      const sum = acc + addend;
      if (!Number.isSafeInteger(sum)) return requantize(acc, shift, mode, bits); // throws with the explanation
      const v = Math.floor(sum / divisor);
      return v < min ? min : v > max ? max : v;
    };
  }
  const factor = 2 ** -shift;
  return (acc) => {
    const v = acc * factor;
    return v < min ? min : v > max ? max : v;
  };
}

/** Bias moved to the accumulator's fractional bits at generation time, saturated to the accumulator. */
export function alignBias(bias: number, shift: number, mode: RoundMode, width: LongWidth): number {
  const aligned = shift > 0 ? Math.floor((bias + roundingAddend(shift, mode)) / 2 ** shift) : bias * 2 ** -shift;
  const limit = width === 64 ? 2 ** 53 : 2 ** (width - 1);
  return aligned >= limit ? limit - 1 : aligned < -limit ? -limit : aligned;
}

export function checkShift(shift: number, where: string): void {
  if (Math.abs(shift) > MAX_SHIFT) {
    throw new UnsupportedError(`${where}: the rescaling shift ${shift} is outside ±${MAX_SHIFT}; the layer's ranges are degenerate (check its weights and calibration data)`);
  }
}
