import { describe, expect, it } from 'vitest';
import { alignBias, fractionalBits, quantizeValue, requantize, roundWith, wrapAdd } from '../../src/core/layers/shared/fixed-point';

describe('power-of-two fixed point (Qualia §4)', () => {
  it('fractional bits n = bits − 1 − (⌊log2 max⌋ + 1), or force_q', () => {
    expect(fractionalBits(1, 8)).toBe(6); // log2 1 = 0 → 7 − 1
    expect(fractionalBits(0.99, 8)).toBe(7);
    expect(fractionalBits(3.2, 8)).toBe(5);
    expect(fractionalBits(100, 16)).toBe(8);
    expect(fractionalBits(0.01, 8)).toBe(13);
    expect(fractionalBits(3.2, 16, 9)).toBe(9);
    expect(fractionalBits(0, 8)).toBe(7);
  });

  it('rounds half-up for nearest, and floor / ceil', () => {
    expect([roundWith(2.5, 'nearest'), roundWith(-2.5, 'nearest'), roundWith(-2.6, 'nearest')]).toEqual([3, -2, -3]);
    expect([roundWith(-2.5, 'floor'), roundWith(-2.5, 'ceil')]).toEqual([-3, -2]);
  });

  it('saturates to the full range [−2^(b−1), 2^(b−1)−1]', () => {
    expect(quantizeValue(-1, 7, 8, 'nearest')).toBe(-128);
    expect(quantizeValue(1, 7, 8, 'nearest')).toBe(127);
    expect(quantizeValue(0.5, 7, 8, 'nearest')).toBe(64);
    expect(quantizeValue(-300, 0, 16, 'floor')).toBe(-300);
  });

  it('requantizes like the C shifts (floor division, half-up, ceil, left shifts saturate)', () => {
    expect(requantize(-5, 1, 'floor', 8)).toBe(-3);
    expect(requantize(-5, 1, 'nearest', 8)).toBe(-2);
    expect(requantize(-5, 1, 'ceil', 8)).toBe(-2);
    expect(requantize(5, 1, 'nearest', 8)).toBe(3);
    expect(requantize(100000, 4, 'floor', 8)).toBe(127);
    expect(requantize(3, -2, 'floor', 8)).toBe(12);
    expect(requantize(-40, -2, 'floor', 8)).toBe(-128);
  });

  it('wraps accumulators like two’s-complement C of the same width', () => {
    expect(wrapAdd(32767, 1, 16)).toBe(-32768);
    expect(wrapAdd(2147483647, 1, 32)).toBe(-2147483648);
    expect(wrapAdd(2147483647, 1, 64)).toBe(2147483648);
  });

  it('aligns biases at generation time and saturates them to the accumulator', () => {
    expect(alignBias(3, -4, 'floor', 32)).toBe(48);
    expect(alignBias(-3, 1, 'nearest', 32)).toBe(-1);
    expect(alignBias(100, -10, 'floor', 16)).toBe(32767);
  });
});
