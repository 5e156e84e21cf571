import { describe, expect, it } from 'vitest';
import { crc32, crc32OfSpan, crc32Step } from './crc32';

describe('crc32', () => {
  it('has the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('gives the CRC of any span from prefix registers, equal to hashing the span itself', () => {
    const data = new Uint8Array(70_000).map((_, i) => (i * 7919 + 13) & 0xff);
    const prefix = new Uint32Array(data.length + 1);
    for (let i = 0; i < data.length; i++) prefix[i + 1] = crc32Step(prefix[i], data[i]);
    for (const [a, b] of [[0, 9], [3, 3], [17, 4999], [100, 101], [0, 70_000], [2, 65_548], [65_535, 70_000]]) {
      expect(crc32OfSpan(prefix[a], prefix[b], b - a), `[${a}, ${b})`).toBe(crc32(data.subarray(a, b)));
    }
  });
});
