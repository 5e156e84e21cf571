// UF2, the USB Flashing Format: 512-byte blocks, each carrying up to 476 bytes for one target address, that
// a board's bootloader accepts as a file copied onto its USB drive (the Pico's RPI-RP2 drive).
// Facts (microsoft/uf2 README, utils/uf2families.json; boards-reference.md §2.3): all fields u32 LE —
// magic 0x0A324655 at 0, magic 0x9E5D5157 at 4, flags at 8 (0x1 not main flash, 0x2000 family ID present),
// target address at 12, payload size at 16, block number at 20, block count at 24, family ID (or file
// size) at 28, data from 32, final magic 0x0AB16F30 at 508. The RP2040 bootrom only takes blocks with
// exactly 256 payload bytes at 256-aligned flash addresses, flag 0x2000 set with family 0xE48BFF56, flag
// 0x1 clear, and a constant non-zero block count (pico-bootrom virtual_disk.c).
import { InputFileError } from '../../base/errors';

export const UF2_BLOCK_BYTES = 512;
export const UF2_MAGIC_START0 = 0x0a324655;
export const UF2_MAGIC_START1 = 0x9e5d5157;
export const UF2_MAGIC_END = 0x0ab16f30;
export const UF2_FLAG_NOT_MAIN_FLASH = 0x1;
export const UF2_FLAG_FAMILY_ID = 0x2000;
const DATA_OFFSET = 32;
const DATA_CAPACITY = 476;

/** Family IDs of the chips Mote builds for (utils/uf2families.json). */
export const uf2Families = {
  rp2040: 0xe48bff56,
  esp32c3: 0xd42ba06c,
  nrf52833: 0x621e937a,
  stm32l4: 0x00ff6919,
} as const;

export interface Uf2Options {
  /** Address of the image's first byte (0x10000000 for the RP2040's XIP flash). */
  baseAddress: number;
  familyId: number;
  /** Bytes per block; 256 is what the RP2040 bootrom requires (and the default). */
  payloadBytes?: number;
}

/** The UF2 file for a contiguous image: one block per `payloadBytes`, the last one zero padded. */
export function writeUf2(image: Uint8Array, options: Uf2Options): Uint8Array {
  const payload = options.payloadBytes ?? 256;
  if (!Number.isInteger(payload) || payload < 4 || payload > DATA_CAPACITY || payload % 4 !== 0) throw new InputFileError(`UF2 payload size ${payload} must be a multiple of 4 between 4 and ${DATA_CAPACITY}`);
  if (image.length === 0) throw new InputFileError('cannot write a UF2 file for an empty image');
  if (options.baseAddress % payload !== 0) throw new InputFileError(`UF2 base address 0x${options.baseAddress.toString(16)} is not aligned to the ${payload}-byte payload`);
  const count = Math.ceil(image.length / payload);
  if (options.baseAddress + count * payload > 0x1_0000_0000) throw new InputFileError('the image does not fit below 4 GiB at its base address');
  const out = new Uint8Array(count * UF2_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let block = 0; block < count; block++) {
    const at = block * UF2_BLOCK_BYTES;
    view.setUint32(at + 0, UF2_MAGIC_START0, true);
    view.setUint32(at + 4, UF2_MAGIC_START1, true);
    view.setUint32(at + 8, UF2_FLAG_FAMILY_ID, true);
    view.setUint32(at + 12, options.baseAddress + block * payload, true);
    view.setUint32(at + 16, payload, true);
    view.setUint32(at + 20, block, true);
    view.setUint32(at + 24, count, true);
    view.setUint32(at + 28, options.familyId >>> 0, true);
    out.set(image.subarray(block * payload, (block + 1) * payload), at + DATA_OFFSET);
    view.setUint32(at + UF2_BLOCK_BYTES - 4, UF2_MAGIC_END, true);
  }
  return out;
}

export interface Uf2Image {
  familyId: number;
  /** Lowest target address. */
  baseAddress: number;
  /** The bytes from baseAddress to the end of the highest block; gaps between blocks read 0xFF (erased flash). */
  image: Uint8Array;
  blocks: number;
}

export interface ReadUf2Options {
  /** Refuse blocks of another family (the bootloader ignores them, so the board would get nothing). */
  familyId?: number;
  /** The exact payload size the bootloader takes (256 for the RP2040), if it requires one. */
  payloadBytes?: number;
  /** Where the blocks must land (the chip's flash). */
  flash?: { start: number; bytes: number };
  /** The largest image accepted, to refuse a hostile file before allocating for it. */
  maxImageBytes?: number;
}

/**
 * Reads a UF2 file the way a strict bootloader does: every block's magics, the family, payload size,
 * alignment, a constant block count and block numbers 0…n−1 each once; errors name the block and field.
 */
export function readUf2(file: Uint8Array, options: ReadUf2Options = {}): Uf2Image {
  if (file.length === 0 || file.length % UF2_BLOCK_BYTES !== 0) throw new InputFileError(`a UF2 file is a whole number of ${UF2_BLOCK_BYTES}-byte blocks; this one is ${file.length} bytes (was it cut short?)`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const count = file.length / UF2_BLOCK_BYTES;
  const seen = new Set<number>();
  const blocks: { address: number; data: Uint8Array }[] = [];
  let familyId: number | undefined;
  for (let block = 0; block < count; block++) {
    const at = block * UF2_BLOCK_BYTES;
    const where = `UF2 block ${block} (byte ${at})`;
    if (view.getUint32(at, true) !== UF2_MAGIC_START0 || view.getUint32(at + 4, true) !== UF2_MAGIC_START1 || view.getUint32(at + UF2_BLOCK_BYTES - 4, true) !== UF2_MAGIC_END) {
      throw new InputFileError(`${where} has wrong magic numbers; this is not a UF2 file, or it is corrupted`);
    }
    const flags = view.getUint32(at + 8, true);
    if (flags & UF2_FLAG_NOT_MAIN_FLASH) throw new InputFileError(`${where} is marked 'not main flash'; the bootloader would skip it`);
    const family = flags & UF2_FLAG_FAMILY_ID ? view.getUint32(at + 28, true) : undefined;
    if (options.familyId !== undefined && family !== options.familyId) {
      throw new InputFileError(`${where} is for family ${family === undefined ? '(none)' : `0x${family.toString(16)}`}, not 0x${options.familyId.toString(16)}; it was built for another chip`);
    }
    if (familyId !== undefined && family !== familyId) throw new InputFileError(`${where} changes the family ID mid-file`);
    familyId = family;
    const address = view.getUint32(at + 12, true);
    const size = view.getUint32(at + 16, true);
    const number = view.getUint32(at + 20, true);
    const total = view.getUint32(at + 24, true);
    if (size === 0 || size > DATA_CAPACITY) throw new InputFileError(`${where} declares ${size} payload bytes; at most ${DATA_CAPACITY} fit`);
    if (options.payloadBytes !== undefined && size !== options.payloadBytes) throw new InputFileError(`${where} carries ${size} bytes; this bootloader takes exactly ${options.payloadBytes}`);
    if (address % size !== 0 && options.payloadBytes !== undefined) throw new InputFileError(`${where} targets 0x${address.toString(16)}, not aligned to ${size} bytes`);
    if (total !== count) throw new InputFileError(`${where} says the file has ${total} blocks, but it has ${count}`);
    if (number >= total || seen.has(number)) throw new InputFileError(`${where} has block number ${number}${seen.has(number) ? ' twice' : ` of ${total}`}`);
    seen.add(number);
    if (options.flash && (address < options.flash.start || address + size > options.flash.start + options.flash.bytes)) {
      throw new InputFileError(`${where} targets 0x${address.toString(16)}, outside flash (0x${options.flash.start.toString(16)} + ${options.flash.bytes} bytes)`);
    }
    blocks.push({ address, data: file.subarray(at + DATA_OFFSET, at + DATA_OFFSET + size) });
  }
  const base = Math.min(...blocks.map((b) => b.address));
  const end = Math.max(...blocks.map((b) => b.address + b.data.length));
  const maxBytes = options.maxImageBytes ?? 32 * 1024 * 1024;
  if (end - base > maxBytes) throw new InputFileError(`the UF2 blocks span ${end - base} bytes (0x${base.toString(16)}…0x${end.toString(16)}); the limit is ${maxBytes}`);
  const image = new Uint8Array(end - base).fill(0xff);
  for (const b of blocks) image.set(b.data, b.address - base);
  return { familyId: familyId ?? 0, baseAddress: base, image, blocks: count };
}
