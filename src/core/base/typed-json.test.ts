import { expect, test } from 'vitest';
import { parseTyped, stringifyTyped } from './typed-json';

test('typed arrays survive a round trip, nested in plain objects', () => {
  const value = { a: new Int8Array([-128, 0, 127]), b: [{ c: new Float32Array([1.5, -0.25]) }], d: new Int32Array(0), name: 'x' };
  const back = parseTyped<typeof value>(stringifyTyped(value));
  expect(back.a).toBeInstanceOf(Int8Array);
  expect(Array.from(back.a)).toEqual([-128, 0, 127]);
  expect(Array.from(back.b[0].c)).toEqual([1.5, -0.25]);
  expect(back.d.length).toBe(0);
  expect(back.name).toBe('x');
});

test('an unknown array type is refused', () => {
  expect(() => parseTyped('{"x":{"$typed":"BigInt64Array","data":""}}')).toThrow(/unknown array type 'BigInt64Array'/);
});
