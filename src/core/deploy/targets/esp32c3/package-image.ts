// What an ESP32-C3 is given after the firmware is linked: an ESP app image (formats/esp-image.ts) of the
// ELF's loadable sections, all in SRAM, written at flash offset 0 where the C3's ROM looks for its boot
// image (esptool targets/esp32c3.py BOOTLOADER_FLASH_OFFSET = 0; boards-reference.md §1.1, §1.5).
import { InputFileError } from '../../../base/errors';
import { parseElf } from '../../elf';
import { espChipIds, writeEspImage, type EspSegment } from '../../formats/esp-image';
import type { BuildOutput } from '../../toolchain';

export const ESP32C3_IMAGE_OFFSET = 0x0;
export const ESP32C3_IMAGE_FILE = 'firmware.esp32c3.bin';
/** Instruction and data views of the C3's SRAM (esptool esp32c3.py MEMORY_MAP). */
const SRAM_REGIONS = [
  { name: 'IRAM', start: 0x4037c000, end: 0x403e0000 },
  { name: 'DRAM', start: 0x3fc80000, end: 0x3fce0000 },
];
const SHT_PROGBITS = 1;
const SHF_ALLOC = 2;

/** The ELF's allocated PROGBITS sections as segments, adjacent ones in the same region merged. */
export function esp32c3Segments(elfBytes: Uint8Array): { entry: number; segments: EspSegment[] } {
  const elf = parseElf(elfBytes);
  const sections = elf.sections.filter((s) => s.type === SHT_PROGBITS && s.flags & SHF_ALLOC && s.size > 0 && s.addr !== 0).sort((a, b) => a.addr - b.addr);
  const segments: (EspSegment & { region: string })[] = [];
  for (const s of sections) {
    const region = SRAM_REGIONS.find((r) => s.addr >= r.start && s.addr + s.size <= r.end);
    if (!region) throw new InputFileError(`section ${s.name} at 0x${s.addr.toString(16)} is outside the ESP32-C3's SRAM; the ROM only loads SRAM segments (use the esp32c3 template's link.ld)`);
    if (s.offset + s.size > elfBytes.length) throw new InputFileError(`section ${s.name} runs past the end of the ELF file`);
    const data = elfBytes.subarray(s.offset, s.offset + s.size);
    const last = segments[segments.length - 1];
    if (last && last.region === region.name && last.address + last.data.length === s.addr) {
      const merged = new Uint8Array(last.data.length + data.length);
      merged.set(last.data);
      merged.set(data, last.data.length);
      last.data = merged;
    } else {
      segments.push({ address: s.addr, data, region: region.name });
    }
  }
  return { entry: elf.entry, segments: segments.map(({ address, data }) => ({ address, data })) };
}

/** The app image of an ESP32-C3 ELF (a generated-C firmware or the prebuilt Mote Runtime): same bytes for the same ELF. */
export function esp32c3AppImage(elf: Uint8Array): Promise<Uint8Array> {
  const { entry, segments } = esp32c3Segments(elf);
  // DIO, 4 MB, 40 MHz: what every C3 devkit's flash supports; the flasher passes "keep" so they stay.
  return writeEspImage({ flashMode: 2, flashSize: 2, flashFrequency: 0, entry, chipId: espChipIds.esp32c3, minRevision: 0, maxRevision: 0xffff, segments });
}

export async function packageEsp32c3Image(build: BuildOutput): Promise<BuildOutput> {
  const elf = build.files['firmware.elf'];
  if (!elf) throw new InputFileError('the ESP32-C3 build produced no firmware.elf to package');
  return { ...build, files: { ...build.files, [ESP32C3_IMAGE_FILE]: await esp32c3AppImage(elf) } };
}
