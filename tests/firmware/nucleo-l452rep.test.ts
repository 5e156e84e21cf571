import { describe, expect, it } from 'vitest';
import { EM_ARM, firmwareSize, functionAddress, parseElf } from '../../src/core/deploy/elf';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { readModelDir, requireTools } from './helpers';

const enabled = requireTools('arm-none-eabi-gcc', 'arm-none-eabi-objcopy');
const FLASH = 512 * 1024;
const RAM = 160 * 1024;

describe.runIf(enabled)('NucleoL452REP firmware (STM32L452RE)', () => {
  for (const [name, options] of [
    ['protocol v1, 80 MHz', {}],
    ['Qualia text protocol, 48 MHz, 115200 baud', { protocol: 'qualia', coreClock48MHz: true, baudrate: 115200 }],
  ] as const) {
    it(`builds and links within flash and RAM, with a .bin for drag-and-drop (${name})`, async () => {
      const build = await createLocalToolchain().build({ board: 'nucleo-l452rep', modelFiles: readModelDir(), options });
      const elf = parseElf(build.files['firmware.elf']);
      expect(elf.machine).toBe(EM_ARM);
      const vectors = elf.sections.find((s) => s.name === '.isr_vector')!;
      expect(vectors.addr).toBe(0x0800_0000);
      const size = firmwareSize(elf);
      expect(size.rom_bytes).toBeLessThan(FLASH);
      expect(size.ram_bytes).toBeLessThan(RAM);
      const bin = build.files['firmware.bin'];
      // The .bin is the flash image from 0x08000000: vector 0 is the initial stack pointer (top of RAM),
      // vector 1 the reset handler (a Thumb address inside flash).
      expect(bin.length).toBe(size.rom_bytes);
      const words = new DataView(bin.buffer, bin.byteOffset);
      expect(words.getUint32(0, true)).toBe(0x2000_0000 + RAM);
      expect(words.getUint32(4, true) & 1).toBe(1);
      expect((words.getUint32(4, true) & ~1) >>> 0).toBe(functionAddress(elf, 'Reset_Handler'));
    });
  }
});
