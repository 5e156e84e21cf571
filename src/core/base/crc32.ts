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
