// The RP2040 bootrom's check of boot2: it copies flash bytes 0…255 to SRAM and runs them only if the
// CRC-32/MPEG-2 (polynomial 0x04C11DB7, initial 0xFFFFFFFF, MSB first, not reflected, no final XOR) of
// bytes 0…251 equals the little-endian word at 252 (RP2040 datasheet §2.8.1.3; boards-reference.md §2.1).
// The firmware links boot2 with a zero word there; sealBoot2 writes the CRC into the flash image.
import { InputFileError } from '../../../base/errors';

export const BOOT2_BYTES = 256;
const BOOT2_CHECKED_BYTES = 252;

const table = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32Mpeg2(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = ((crc << 8) ^ table[((crc >>> 24) ^ byte) & 0xff]) >>> 0;
  return crc >>> 0;
}

/** A copy of the flash image (starting at flash offset 0) with boot2's CRC word filled in. */
export function sealBoot2(flashImage: Uint8Array): Uint8Array {
  if (flashImage.length < BOOT2_BYTES) throw new InputFileError(`an RP2040 flash image starts with the ${BOOT2_BYTES}-byte boot2; this one is ${flashImage.length} bytes`);
  const sealed = flashImage.slice();
  new DataView(sealed.buffer).setUint32(BOOT2_CHECKED_BYTES, crc32Mpeg2(sealed.subarray(0, BOOT2_CHECKED_BYTES)), true);
  return sealed;
}

/** Whether the bootrom would run this image's boot2 (its CRC word matches). */
export function boot2IsValid(flashImage: Uint8Array): boolean {
  if (flashImage.length < BOOT2_BYTES) return false;
  const stored = new DataView(flashImage.buffer, flashImage.byteOffset).getUint32(BOOT2_CHECKED_BYTES, true);
  return stored === crc32Mpeg2(flashImage.subarray(0, BOOT2_CHECKED_BYTES));
}
