// The file a physical board is flashed with, made from its prebuilt Mote Runtime ELF (runtime/prebuilt/,
// scripts/build-runtime-images.mjs runs this when it builds or checks the images, so the packaged files are
// reproduced byte for byte like the ELFs): an Espressif app image for the ESP32-C3, a UF2 for the Pico's
// RPI-RP2 drive, Intel HEX for an ST-LINK or DAPLink drive. Pure: the same ELF gives the same bytes.
import { InputFileError } from '../base/errors';
import { uf2Families, writeUf2 } from './formats/uf2';
import { writeIntelHex, type HexSegment } from './formats/intel-hex';
import { esp32c3AppImage } from './targets/esp32c3/package-image';
import { sealBoot2 } from './targets/rp2040/boot2-seal';
import { RP2040_FLASH_START } from './targets/rp2040/memory-map';

export type RuntimePackageFormat = 'esp-app-image' | 'uf2-rp2040' | 'intel-hex';

const PT_LOAD = 1;

/** The bytes a 32-bit little-endian ELF puts in memory from its file: each PT_LOAD segment's file bytes at
 * its physical (load) address — .data's initial values where startup copies them from, as objcopy writes. */
export function elfLoadSegments(elf: Uint8Array): { entry: number; segments: HexSegment[] } {
  const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  if (elf.length < 52 || view.getUint32(0) !== 0x7f454c46 || elf[4] !== 1 || elf[5] !== 1) throw new InputFileError('the runtime image is not a 32-bit little-endian ELF');
  const phoff = view.getUint32(28, true), phentsize = view.getUint16(42, true), phnum = view.getUint16(44, true);
  const segments: HexSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const h = phoff + i * phentsize;
    if (h + 32 > elf.length) throw new InputFileError('the runtime image has a truncated program header table');
    if (view.getUint32(h, true) !== PT_LOAD) continue;
    const offset = view.getUint32(h + 4, true), paddr = view.getUint32(h + 12, true), filesz = view.getUint32(h + 16, true);
    if (filesz === 0) continue;
    if (offset + filesz > elf.length) throw new InputFileError(`the runtime image's segment at 0x${paddr.toString(16)} runs past the end of the file`);
    segments.push({ address: paddr, data: elf.subarray(offset, offset + filesz) });
  }
  segments.sort((a, b) => a.address - b.address);
  return { entry: view.getUint32(24, true), segments };
}

/** The segments laid out from `base` as one image, gaps zero (what `objcopy -O binary` gives). */
function flatten(segments: HexSegment[], base: number): Uint8Array {
  if (segments.length === 0 || segments[0].address < base) throw new InputFileError(`the runtime image loads bytes below 0x${base.toString(16)}`);
  const end = Math.max(...segments.map((s) => s.address + s.data.length));
  const image = new Uint8Array(end - base);
  for (const s of segments) image.set(s.data, s.address - base);
  return image;
}

/** The RP2040 flash image of an ELF: its load bytes from 0x10000000 with boot2's CRC sealed. */
export function rp2040FlashImage(elf: Uint8Array): Uint8Array {
  return sealBoot2(flatten(elfLoadSegments(elf).segments, RP2040_FLASH_START));
}

export async function packageRuntimeImage(format: RuntimePackageFormat, elf: Uint8Array): Promise<Uint8Array> {
  switch (format) {
    case 'esp-app-image': return esp32c3AppImage(elf);
    case 'uf2-rp2040': return writeUf2(rp2040FlashImage(elf), { baseAddress: RP2040_FLASH_START, familyId: uf2Families.rp2040 });
    case 'intel-hex': {
      const { entry, segments } = elfLoadSegments(elf);
      return new TextEncoder().encode(writeIntelHex(segments, { start: entry }));
    }
  }
}
