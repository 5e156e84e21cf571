import { expect, test } from 'vitest';
import { createRng } from './rng';

test('same seed, same stream; different seeds, different streams', () => {
  const a = createRng(42), b = createRng(42), c = createRng(43);
  const seq = (r: ReturnType<typeof createRng>) => Array.from({ length: 5 }, () => r.next());
  const sa = seq(a);
  expect(seq(b)).toEqual(sa);
  expect(seq(c)).not.toEqual(sa);
  for (const v of sa) expect(v >= 0 && v < 1).toBe(true);
});

test('normal() has mean ≈ 0 and variance ≈ 1', () => {
  const r = createRng(1);
  let sum = 0, sq = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) { const v = r.normal(); sum += v; sq += v * v; }
  expect(Math.abs(sum / n)).toBeLessThan(0.03);
  expect(Math.abs(sq / n - 1)).toBeLessThan(0.05);
});

test('shuffle is a permutation', () => {
  const items = Array.from({ length: 100 }, (_, i) => i);
  createRng(7).shuffle(items);
  expect([...items].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  expect(items).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
});
