// The physical boards' prebuilt Mote Runtime images (runtime/prebuilt/, scripts/build-runtime-images.mjs):
// the ESP32-C3 app image read back by Mote's own parser (chip id, segments in IRAM/DRAM as in the ELF,
// checksum, SHA-256) and flashed by esptool-js into the simulated ROM loader through the Web Serial
// stand-in (the browser code path), MD5 verified, the ROM booting its entry; the Nucleo's Intel HEX
// parsed back to the ELF's load bytes; the Pico's UF2 read back with the bootrom's rules and booted in
// rp2040js from exactly those flash bytes, a zoo CNN blob loaded over UART0 and evaluated bit-exactly; each board's declared runtime buffers (BoardRuntime.holds) equal
// to the image's own, and a model that needs more refused with both sizes before anything is sent.
// No compiler is needed: the images are committed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BoardKind } from '../../src/core/deploy/board';
import { findSymbol, parseElf } from '../../src/core/deploy/elf';
import { readEspImage } from '../../src/core/deploy/formats/esp-image';
import { readIntelHex } from '../../src/core/deploy/formats/intel-hex';
import { allBoards, boardOf } from '../../src/core/deploy/registry';
import { elfLoadSegments } from '../../src/core/deploy/runtime-packaging';
import { runtimeMisfit } from '../../src/core/deploy/runtime-fit';
import { esp32c3Segments } from '../../src/core/deploy/targets/esp32c3/package-image';
import { flashEsp32c3 } from '../../src/devices/esp32c3-flasher';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { quantizeZooModel, randomData, zoo } from '../codegen/zoo';
import { requireTools } from '../firmware/helpers';
import type { CodegenModel } from '../../src/core/codegen/types';
import { readUf2, uf2Families } from '../../src/core/deploy/formats/uf2';
import { rp2040FlashImage } from '../../src/core/deploy/runtime-packaging';
import { startVirtualPico } from '../../src/core/deploy/targets/rp2040/rp2040js-board';
import { compareOutputs, encodeInputs, referenceOutputs } from '../../src/core/deploy/targets/linux-compare';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { loadModelOnBoard } from '../../src/core/evaluation/model-load';
import { sizeOf } from '../../src/core/models/shapes';
import { SimulatedEsp32c3 } from './esp32c3-rom-loader';
import { WebSerialStandIn } from './web-serial-stand-in';

const PREBUILT = resolve(__dirname, '../../runtime/prebuilt');
const prebuilt = (file: string) => new Uint8Array(readFileSync(join(PREBUILT, file)));
/** The ELF a packaged image (.bin, .hex, .uf2) was made from: same name, .elf. */
const elfOf = (image: string) => prebuilt(image.replace(/\.(bin|hex|uf2)$/, '.elf'));
const board = (kind: string): BoardKind => boardOf(kind);

describe('ESP32-C3 Mote Runtime image', () => {
  const esp = board('ESP32C3');

  it('is an ESP app image Mote\'s parser accepts: chip id 5, the ELF\'s sections as IRAM/DRAM segments, checksum, SHA-256', async () => {
    expect(esp.runtime?.image).toBe('mote-runtime-esp32c3.bin');
    const bytes = prebuilt(esp.runtime!.image);
    const image = await readEspImage(bytes);
    const elf = elfOf(esp.runtime!.image);
    const expected = esp32c3Segments(elf);
    expect(image.chipId).toBe(5);
    expect(image.hashAppended).toBe(true);
    expect(image.entry).toBe(parseElf(elf).entry);
    expect(image.entry).toBe(0x40380000);
    expect(image.segments.map((s) => s.address)).toEqual(expected.segments.map((s) => s.address));
    image.segments.forEach((s, i) => expect(s.data.subarray(0, expected.segments[i].data.length)).toEqual(expected.segments[i].data));
    for (const s of image.segments) {
      const inIram = s.address >= 0x40380000 && s.address + s.data.length <= 0x403a0000;
      const inDram = s.address >= 0x3fca0000 && s.address + s.data.length <= 0x3fcdc710;
      expect(inIram || inDram, `segment at 0x${s.address.toString(16)}`).toBe(true);
    }
    const damaged = bytes.slice();
    damaged[bytes.length - 1] ^= 1;
    await expect(readEspImage(damaged)).rejects.toThrow(/SHA-256/);
  });

  it('esptool-js flashes it through the Web Serial path (browser code), MD5 verified, and the ROM boots its entry', async () => {
    const image = prebuilt(esp.runtime!.image);
    const sim = new SimulatedEsp32c3();
    const serial = new WebSerialStandIn(sim);
    sim.powerOn();
    const result = await flashEsp32c3(serial, image, { address: esp.install!.address ?? 0 });
    expect(result).toMatchObject({ chip: 'ESP32-C3', bytes: image.length, address: 0 });
    expect(result.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(sim.flash.subarray(0, image.length)).toEqual(image);
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.bootRefusal).toBeUndefined();
    expect(sim.booted?.entry).toBe(0x40380000);
  }, 30_000);
});

describe('Nucleo-L452RE-P Mote Runtime image', () => {
  const nucleo = board('NucleoL452REP');

  it('its Intel HEX parses back to the ELF\'s load bytes in flash, with the entry as start address', () => {
    expect(nucleo.runtime?.image).toBe('mote-runtime-nucleo-l452rep.hex');
    const hex = readIntelHex(readFileSync(join(PREBUILT, nucleo.runtime!.image), 'utf8'));
    const elf = elfLoadSegments(elfOf(nucleo.runtime!.image));
    const flat = (segments: { address: number; data: Uint8Array }[]) => {
      const out = new Map<number, number>();
      for (const s of segments) s.data.forEach((b, i) => out.set(s.address + i, b));
      return out;
    };
    const fromHex = flat(hex.segments);
    expect(fromHex).toEqual(flat(elf.segments));
    expect(Math.min(...fromHex.keys())).toBe(0x08000000);
    expect(Math.max(...fromHex.keys())).toBeLessThan(0x08000000 + 512 * 1024);
    expect(hex.start).toBe(elf.entry);
  });

  it.runIf(requireTools('arm-none-eabi-objcopy'))('holds the same bytes as arm-none-eabi-objcopy -O ihex of the ELF', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-hex-'));
    try {
      execFileSync('arm-none-eabi-objcopy', ['-O', 'ihex', join(PREBUILT, 'mote-runtime-nucleo-l452rep.elf'), join(dir, 'ref.hex')]);
      const ref = readIntelHex(readFileSync(join(dir, 'ref.hex'), 'utf8'));
      const ours = readIntelHex(readFileSync(join(PREBUILT, 'mote-runtime-nucleo-l452rep.hex'), 'utf8'));
      const bytesOf = (img: typeof ref) => img.segments.flatMap((s) => Array.from(s.data, (b, i) => [s.address + i, b]));
      expect(bytesOf(ours)).toEqual(bytesOf(ref));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Raspberry Pi Pico Mote Runtime image', () => {
  const pico = board('RaspberryPiPico');

  it('its UF2 (bootrom rules) holds the rp2040 ELF\'s flash bytes; booted in rp2040js a zoo CNN blob loads over UART0 and runs bit-exact', async () => {
    expect(pico.runtime?.image).toBe('mote-runtime-rp2040.uf2');
    const uf2 = readUf2(prebuilt(pico.runtime!.image), { familyId: uf2Families.rp2040 });
    expect(uf2.baseAddress).toBe(0x10000000);
    expect(uf2.image.subarray(0, rp2040FlashImage(elfOf(pico.runtime!.image)).length)).toEqual(rp2040FlashImage(elfOf(pico.runtime!.image)));
    const graph = zoo.conv2d();
    const quantized = quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, 16, 5), 16);
    const model = { format: 'int8', quantized } as Extract<CodegenModel, { format: 'int8' }>;
    const { bytes: blob } = encodeModelBlob(quantized, { dialect: 'c99', name: 'conv2d' });
    expect(runtimeMisfit(pico, blob)).toBeNull();
    const count = 4;
    const test = { x: randomData(graph.shapes.input, count, 6).map((v) => v * 2), labels: Int32Array.from({ length: count }, (_, i) => i % 3), count };
    const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
    const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
    const raw = encodeInputs(model, test, inputSize);
    const reference = referenceOutputs(model, test, {});
    const board = startVirtualPico(uf2.image); // flash bytes exactly as the drive would program them
    try {
      const loaded = await loadModelOnBoard({ transport: board.transport, blob, frameTimeoutMs: 20_000 });
      expect(loaded.hello.boardId).toBe('rp2040');
      const report = await evaluateOnBoard({
        transport: board.transport, vectors: Array.from({ length: count }, (_, i) => new Int8Array(raw.slice(i * inputSize, (i + 1) * inputSize).buffer)),
        labels: test.labels, hello: loaded.hello, expectedModelHash: loaded.hello.modelHash,
        reference: (_v, i) => reference.subarray(i * outputSize, (i + 1) * outputSize), frameTimeoutMs: 20_000,
      });
      const outputs = new Int32Array(count * outputSize);
      for (const row of report.rows) outputs.set(row.outputs, row.index * outputSize);
      expect(compareOutputs('int8', outputs, reference, test.labels, count, outputSize)).toMatchObject({ bit_exact: true, first_mismatch: null });
    } finally {
      await board.stop();
    }
  }, 120_000);
});

describe('runtime capacity of the physical boards', () => {
  const bounded = allBoards().filter((b) => b.runtime?.holds && /\.(bin|hex|uf2)$/.test(b.runtime.image));

  it('each board\'s declared blob and arena buffers are the image\'s own (ELF symbols blob and arena)', () => {
    expect(bounded.map((b) => b.kind)).toEqual(expect.arrayContaining(['ESP32C3', 'NucleoL452REP', 'RaspberryPiPico']));
    for (const b of bounded) {
      const elf = parseElf(elfOf(b.runtime!.image));
      expect({ kind: b.kind, blobBytes: findSymbol(elf, 'blob')?.size, arenaBytes: findSymbol(elf, 'arena')?.size }).toEqual({ kind: b.kind, ...b.runtime!.holds });
    }
  });

  it('a model that needs more than the runtime holds is refused with both sizes; one that fits passes', () => {
    const esp = board('ESP32C3');
    const small = zoo.conv2d();
    const fits = encodeModelBlob(quantizeZooModel(small, 8, 'nearest', randomData(small.shapes.input, 8, 1), 8), { dialect: 'c99' }).bytes;
    expect(runtimeMisfit(esp, fits)).toBeNull();
    // The same header with a larger arena and a blob padded past the buffer: what a too-large model's blob says.
    const big = new Uint8Array(esp.runtime!.holds!.blobBytes + 100);
    big.set(fits);
    new DataView(big.buffer).setUint32(36, 100_000, true); // arena elements (int8: bytes)
    const message = runtimeMisfit(esp, big)!;
    expect(message).toContain(`the model blob is ${big.length} bytes`);
    expect(message).toContain(`at most ${128 * 1024} bytes`);
    expect(message).toContain('needs 100000 bytes of activation memory');
    expect(message).toContain(`arena has ${72 * 1024} bytes`);
    expect(message).toMatch(/nothing was sent to the board/);
  });
});
