// Espressif's application image, the file an ESP32-C3's ROM loads from flash offset 0 ("simple boot":
// RAM segments only, copied to SRAM, then the entry point runs). Written and read by Mote's own code from
// the documented format (esptool docs/en/advanced-topics/firmware-image-format.rst, bin_image.py;
// boards-reference.md §1.2-1.5). All fields little-endian:
//   header (8): magic 0xE9, segment count, SPI mode, flash size (high nibble) | frequency (low), entry u32
//   extended header (16): WP pin 0xEE, 3 drive-strength bytes, chip id u16 (5 = ESP32-C3), legacy min rev,
//     min rev u16 and max rev u16 (major·100 + minor), 4 reserved, hash-appended flag (0/1)
//   segments: u32 load address, u32 length (multiple of 4), data; at most 16
//   footer: zeros until length ≡ 15 (mod 16), a checksum byte (0xEF XOR every segment data byte), and with
//     the flag set a SHA-256 of everything before it.
import { InputFileError } from '../../base/errors';

export const ESP_IMAGE_MAGIC = 0xe9;
const CHECKSUM_SEED = 0xef;
const HEADER_BYTES = 24;
const MAX_SEGMENTS = 16;

export const espChipIds = { esp32c3: 5 } as const;

export interface EspSegment {
  address: number;
  data: Uint8Array;
}

export interface EspImageHeader {
  /** 0 QIO, 1 QOUT, 2 DIO, 3 DOUT. */
  flashMode: number;
  /** The size nibble: 0 = 1 MB, 1 = 2 MB, 2 = 4 MB, 3 = 8 MB, 4 = 16 MB. */
  flashSize: number;
  /** The frequency nibble (C3: 0 = 40 MHz, 1 = 26 MHz, 2 = 20 MHz, 0xF = 80 MHz). */
  flashFrequency: number;
  entry: number;
  chipId: number;
  minRevision: number;
  maxRevision: number;
}

export interface EspImage extends EspImageHeader {
  segments: EspSegment[];
  hashAppended: boolean;
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', bytes as BufferSource));
}

/** The image bytes for RAM segments (each padded to 4 bytes), with the checksum and a SHA-256. */
export async function writeEspImage(image: Omit<EspImage, 'hashAppended'>): Promise<Uint8Array> {
  if (image.segments.length === 0 || image.segments.length > MAX_SEGMENTS) throw new InputFileError(`an ESP image holds 1 to ${MAX_SEGMENTS} segments; this firmware has ${image.segments.length}`);
  const segments = image.segments.map((s) => {
    const padded = new Uint8Array(Math.ceil(s.data.length / 4) * 4);
    padded.set(s.data);
    return { address: s.address, data: padded };
  });
  const body = segments.reduce((n, s) => n + 8 + s.data.length, 0);
  let length = HEADER_BYTES + body;
  length += (15 - (length % 16) + 16) % 16; // zeros until ≡ 15 (mod 16)
  const out = new Uint8Array(length + 1 + 32);
  const view = new DataView(out.buffer);
  out[0] = ESP_IMAGE_MAGIC;
  out[1] = segments.length;
  out[2] = image.flashMode;
  out[3] = ((image.flashSize & 0xf) << 4) | (image.flashFrequency & 0xf);
  view.setUint32(4, image.entry >>> 0, true);
  out[8] = 0xee;
  view.setUint16(12, image.chipId, true);
  out[14] = 0;
  view.setUint16(15, image.minRevision, true);
  view.setUint16(17, image.maxRevision, true);
  out[23] = 1;
  let at = HEADER_BYTES;
  let checksum = CHECKSUM_SEED;
  for (const s of segments) {
    view.setUint32(at, s.address >>> 0, true);
    view.setUint32(at + 4, s.data.length, true);
    out.set(s.data, at + 8);
    for (const byte of s.data) checksum ^= byte;
    at += 8 + s.data.length;
  }
  out[length] = checksum;
  out.set(await sha256(out.subarray(0, length + 1)), length + 1);
  return out;
}

/**
 * Reads an image as the ROM and esptool's checks do: magic, segment count and lengths, the checksum byte
 * and, when flagged, the SHA-256. Errors name the field and byte offset.
 */
export async function readEspImage(bytes: Uint8Array): Promise<EspImage> {
  const fail = (what: string): never => { throw new InputFileError(`not a valid ESP image: ${what}; rebuild the firmware`); };
  if (bytes.length < HEADER_BYTES + 16) fail(`${bytes.length} bytes is shorter than the headers`);
  if (bytes[0] !== ESP_IMAGE_MAGIC) fail(`byte 0 is 0x${bytes[0].toString(16)}, not the magic 0xe9`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = bytes[1];
  if (count === 0 || count > MAX_SEGMENTS) fail(`byte 1 declares ${count} segments (1 to ${MAX_SEGMENTS} allowed)`);
  if (bytes[23] > 1) fail(`byte 23 (hash appended) is ${bytes[23]}; it must be 0 or 1`);
  const segments: EspSegment[] = [];
  let at = HEADER_BYTES;
  let checksum = CHECKSUM_SEED;
  for (let i = 0; i < count; i++) {
    if (at + 8 > bytes.length) fail(`segment ${i}'s header at byte ${at} runs past the end`);
    const address = view.getUint32(at, true);
    const length = view.getUint32(at + 4, true);
    if (length % 4 !== 0 || length >= 16 * 1024 * 1024) fail(`segment ${i} at byte ${at} has length ${length} (a multiple of 4 below 16 MiB is required)`);
    if (at + 8 + length > bytes.length) fail(`segment ${i} at byte ${at} (${length} bytes) runs past the end of the file`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    for (const byte of data) checksum ^= byte;
    segments.push({ address, data });
    at += 8 + length;
  }
  at += (15 - (at % 16) + 16) % 16;
  if (at >= bytes.length) fail('the checksum byte is missing');
  if (bytes[at] !== checksum) fail(`checksum byte at ${at} is 0x${bytes[at].toString(16)}, the segments give 0x${checksum.toString(16)}`);
  const hashAppended = bytes[23] === 1;
  if (hashAppended) {
    if (at + 33 > bytes.length) fail('the SHA-256 digest after the checksum is missing');
    const digest = await sha256(bytes.subarray(0, at + 1));
    const stored = bytes.subarray(at + 1, at + 33);
    if (digest.some((b, i) => b !== stored[i])) fail(`the SHA-256 at byte ${at + 1} does not match the image`);
  }
  return {
    flashMode: bytes[2], flashSize: bytes[3] >> 4, flashFrequency: bytes[3] & 0xf, entry: view.getUint32(4, true),
    chipId: view.getUint16(12, true), minRevision: view.getUint16(15, true), maxRevision: view.getUint16(17, true),
    segments, hashAppended,
  };
}
