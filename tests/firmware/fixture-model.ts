// TypeScript reference of tests/firmware/fixtures/dense-int8 (a hand-written model following the
// generated-code ABI); the firmware must reproduce these integers exactly.
export const FIXTURE_DIR = new URL('./fixtures/dense-int8/', import.meta.url).pathname;
export const FIXTURE_HASH = 0x5eed0001;
export const FIXTURE_INPUT_SCALE = 5;

const weight = (j: number, i: number) => (((j * 16 + i) * 37) % 255) - 127;
const bias = (j: number) => ((j * 53) % 201) - 100;

export function fixtureReference(input: ArrayLike<number>): Int8Array {
  const out = new Int8Array(8);
  for (let j = 0; j < 8; j++) {
    let acc = bias(j);
    for (let i = 0; i < 16; i++) acc += weight(j, i) * input[i];
    acc >>= 5;
    if ((j & 1) === 0 && acc < 0) acc = 0;
    out[j] = Math.max(-128, Math.min(127, acc));
  }
  return out;
}

/** Qualia's input quantization for the fixture: clamp(floor(x·2^5 + 0.5)). */
export function quantizeFixtureInput(values: ArrayLike<number>): Int8Array {
  return Int8Array.from(Array.from(values, (x) => Math.max(-128, Math.min(127, Math.floor(Math.fround(x) * 32 + 0.5)))));
}
