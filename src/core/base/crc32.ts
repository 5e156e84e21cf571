// CRC-32 as in IEEE 802.3 / zlib (reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF; check
// value of "123456789" is 0xCBF43926). Table-driven, one byte per step. The firmware computes the same
// CRC with a 16-entry nibble table to keep flash small (firmware-templates/common/mote_crc32.c).

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Continues a running CRC (pass the previous result; start with 0). */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// --- CRC of any span from prefix registers ------------------------------------------------------------
// The CRC register is linear over GF(2) in (register, data), so the CRC of bytes [a, b) follows from the raw
// registers after [0, a) and [0, b) (both started at 0): R(a..b) = Q[b] ⊕ Z_{b−a}(Q[a]), where Z_n advances a
// register through n zero bytes. Z_n is applied with the 32×32 matrices of Z_{2^k} (squaring, as zlib's
// crc32_combine does), so checking a candidate span costs O(log n) instead of O(n).

/** The raw register after one more byte (no init, no final XOR): for prefix registers. */
export function crc32Step(register: number, byte: number): number {
  return (TABLE[(register ^ byte) & 0xff] ^ (register >>> 8)) >>> 0;
}

/**
 * Prefix registers of `bytes`: registers[at + i + 1] = register after bytes[0..i], continuing from
 * registers[at]. One tight loop per chunk (a stream decoder calls it as bytes arrive).
 */
export function crc32Prefix(bytes: Uint8Array, registers: Uint32Array, at: number): void {
  let register = registers[at];
  for (let i = 0; i < bytes.length; i++) {
    register = (TABLE[(register ^ bytes[i]) & 0xff] ^ (register >>> 8)) >>> 0;
    registers[at + i + 1] = register;
  }
}

function applyMatrix(matrix: Uint32Array, vector: number): number {
  let out = 0;
  for (let bit = 0; vector !== 0; bit++, vector >>>= 1) if (vector & 1) out ^= matrix[bit];
  return out >>> 0;
}

/** ZERO_POWERS[k]: the matrix (32 columns) that advances a register through 2^k zero bytes. */
const ZERO_POWERS: Uint32Array[] = (() => {
  const one = new Uint32Array(32);
  for (let bit = 0; bit < 32; bit++) one[bit] = crc32Step((1 << bit) >>> 0, 0);
  const powers = [one];
  for (let k = 1; k < 32; k++) {
    const previous = powers[k - 1];
    powers.push(previous.map((column) => applyMatrix(previous, column)));
  }
  return powers;
})();

function advanceZeros(register: number, count: number): number {
  let out = register >>> 0;
  for (let k = 0; count > 0; k++, count = Math.floor(count / 2)) if (count % 2) out = applyMatrix(ZERO_POWERS[k], out);
  return out;
}

/** Standard CRC-32 of a span from the prefix registers at its ends (registers started at 0 from a common origin). */
export function crc32OfSpan(registerAtStart: number, registerAtEnd: number, length: number): number {
  return (~(registerAtEnd ^ advanceZeros((registerAtStart ^ 0xffffffff) >>> 0, length))) >>> 0;
}
