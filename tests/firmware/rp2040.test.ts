import { describe, expect, it } from 'vitest';
import { firmwareSize, parseElf } from '../../src/core/deploy/elf';
import { readUf2, uf2Families } from '../../src/core/deploy/formats/uf2';
import { boot2IsValid, crc32Mpeg2 } from '../../src/core/deploy/targets/rp2040/boot2-seal';
import { PICO_FLASH_BYTES, RP2040_FLASH_START } from '../../src/core/deploy/targets/rp2040/memory-map';
import { packageRp2040Image } from '../../src/core/deploy/targets/rp2040/package-image';
import { startVirtualPico, VirtualPicoError } from '../../src/core/deploy/targets/rp2040/rp2040js-board';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { FIXTURE_HASH, fixtureReference } from './fixture-model';
import { randomInt8Vectors, readModelDir, requireTools } from './helpers';

const enabled = requireTools('arm-none-eabi-gcc', 'arm-none-eabi-objcopy');

describe('RP2040 boot2 seal', () => {
  it('computes CRC-32/MPEG-2 (check value of "123456789" is 0x0376E6E7)', () => {
    expect(crc32Mpeg2(new TextEncoder().encode('123456789'))).toBe(0x0376e6e7);
  });
});

describe.runIf(enabled)('Raspberry Pi Pico firmware (template + fixture model in rp2040js)', () => {
  const build = async (modelFiles = readModelDir()) => packageRp2040Image(await createLocalToolchain().build({ board: 'rp2040', modelFiles }));

  it('boots from its UF2 (read with the bootrom\'s rules), says HELLO, answers bit-exactly with SysTick cycles', async () => {
    const output = await build();
    const size = firmwareSize(parseElf(output.files['firmware.elf']));
    expect(size.rom_bytes).toBeGreaterThan(1000);
    const uf2 = readUf2(output.files['firmware.uf2'], { familyId: uf2Families.rp2040, payloadBytes: 256, flash: { start: RP2040_FLASH_START, bytes: PICO_FLASH_BYTES } });
    expect(uf2.baseAddress).toBe(RP2040_FLASH_START);
    expect(uf2.image.subarray(0, output.files['firmware.bin'].length)).toEqual(output.files['firmware.bin']);
    expect(boot2IsValid(uf2.image)).toBe(true);

    const pico = startVirtualPico(uf2.image);
    try {
      const vectors = randomInt8Vectors(24, 16, 5);
      const report = await evaluateOnBoard({
        transport: pico.transport, vectors, reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH, batchSize: 8,
      });
      expect(report.hello.boardId).toBe('rp2040');
      expect(report.hello.modelName).toBe('fixture_dense_q8');
      expect(report.n).toBe(24);
      expect(report.bit_exact).toBe(true);
      expect(report.counter_kind).toBe('cycles');
      // 128 multiply-accumulates on an M0+ take well over 128 cycles and far fewer than 100k.
      expect(report.rows.every((row) => row.counter > 128 && row.counter < 100_000)).toBe(true);
      expect(pico.diagnostics()).toEqual([]);
    } finally {
      await pico.stop();
    }
  });

  it('refuses an image whose boot2 CRC is wrong, as the bootrom would', async () => {
    const output = await build();
    const image = output.files['firmware.bin'].slice();
    image[10] ^= 0x01;
    expect(() => startVirtualPico(image)).toThrow(VirtualPicoError);
    expect(() => startVirtualPico(image)).toThrow(/BOOTSEL/);
  });

  it('a firmware fault ends the board with exit code 3', async () => {
    const files = readModelDir();
    files['model.c'] = files['model.c'].replace('const int8_t *x = &input[0][0];', 'const int8_t *x = &input[0][0];\n  __builtin_trap();');
    const output = await build(files);
    const pico = startVirtualPico(output.files['firmware.bin']);
    try {
      const evaluation = evaluateOnBoard({ transport: pico.transport, vectors: randomInt8Vectors(1, 16, 3), reference: (v) => fixtureReference(v), frameTimeoutMs: 2000, maxRetries: 0 });
      await expect(evaluation).rejects.toThrow();
      expect(await pico.exited).toBe(3);
    } finally {
      await pico.stop();
    }
  });
});
