// The BBC micro:bit v2's prebuilt Mote Runtime image (runtime/prebuilt/mote-runtime-microbit-v2.{elf,hex},
// scripts/build-runtime-images.mjs) checked without a board: its Intel HEX holds exactly the ELF's PT_LOAD
// bytes in 32-byte records (DAPLink's limit) and the same bytes as arm-none-eabi-objcopy -O ihex; the
// vector table is the nRF52833's (stack at the top of its 128 KiB RAM, reset handler a Thumb address in
// flash at 0); the board code drives UARTE0 at 0x40002000 with EasyDMA pointers into RAM (EasyDMA cannot
// read flash), starts the HFXO through CLOCK at 0x40000000, and the UARTE's 115200-baud register value is in
// the code. What only a board can confirm (the UART really reaches the interface chip, the DWT counter's
// figures, the clock) is listed in the README's board table. Its kernels are the VirtualCortexM4 image's
// instruction for instruction (that image runs bit-exact on QEMU mps2-an386). The generated-C firmware for the
// board is built with the local toolchain where arm-none-eabi-gcc is installed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EM_ARM, findSymbol, firmwareSize, functionAddress, parseElf, type ElfFile } from '../../src/core/deploy/elf';
import { readIntelHex } from '../../src/core/deploy/formats/intel-hex';
import { boardOf } from '../../src/core/deploy/registry';
import { elfLoadSegments } from '../../src/core/deploy/runtime-packaging';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { readModelDir, requireTools } from '../firmware/helpers';

const PREBUILT = resolve(__dirname, '../../runtime/prebuilt');
const ELF = join(PREBUILT, 'mote-runtime-microbit-v2.elf');
const HEX = join(PREBUILT, 'mote-runtime-microbit-v2.hex');
const FLASH = 512 * 1024;
const RAM_START = 0x2000_0000;
const RAM = 128 * 1024;

const flat = (segments: { address: number; data: Uint8Array }[]) => {
  const out = new Map<number, number>();
  for (const s of segments) s.data.forEach((b, i) => out.set(s.address + i, b));
  return out;
};

/** The 32-bit words of a function's body (its literal pool included: ldr rX, [pc, #n] reads them). */
function functionWords(bytes: Uint8Array, elf: ElfFile, name: string): number[] {
  const symbol = findSymbol(elf, name);
  if (!symbol) throw new Error(`no symbol ${name}`);
  const text = elf.sections.find((s) => s.name === '.text')!;
  const start = (symbol.value & ~1) - text.addr + text.offset;
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const words: number[] = [];
  for (let at = start; at + 4 <= start + symbol.size; at += 2) words.push(view.getUint32(at, true));
  return words;
}

describe('micro:bit v2 Mote Runtime image', () => {
  const board = boardOf('MicrobitV2');
  const elfBytes = new Uint8Array(readFileSync(ELF));
  const elf = parseElf(elfBytes);

  it('is the board\'s declared runtime: Intel HEX of 32-byte records holding exactly the ELF\'s load bytes, entry as start address', () => {
    expect(board.runtime).toMatchObject({ image: 'mote-runtime-microbit-v2.hex', dialect: 'cortex-m' });
    const text = readFileSync(HEX, 'utf8');
    for (const line of text.trim().split('\n')) expect(parseInt(line.slice(1, 3), 16), line).toBeLessThanOrEqual(32);
    const hex = readIntelHex(text);
    const load = elfLoadSegments(elfBytes);
    const fromHex = flat(hex.segments);
    expect(fromHex).toEqual(flat(load.segments));
    expect(Math.min(...fromHex.keys())).toBe(0);
    expect(Math.max(...fromHex.keys())).toBeLessThan(FLASH);
    expect(hex.start).toBe(load.entry);
  });

  it.runIf(requireTools('arm-none-eabi-objcopy'))('holds the same bytes as arm-none-eabi-objcopy -O ihex of the ELF', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-microbit-hex-'));
    try {
      execFileSync('arm-none-eabi-objcopy', ['-O', 'ihex', ELF, join(dir, 'ref.hex')]);
      const ref = readIntelHex(readFileSync(join(dir, 'ref.hex'), 'utf8'));
      const ours = readIntelHex(readFileSync(HEX, 'utf8'));
      expect(flat(ours.segments)).toEqual(flat(ref.segments));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has the nRF52833\'s vector table at 0: stack at the top of 128 KiB RAM, Thumb reset handler in flash, and fits RAM with its stack', () => {
    expect(elf.machine).toBe(EM_ARM);
    expect(elf.sections.find((s) => s.name === '.isr_vector')?.addr).toBe(0);
    const image = flat(readIntelHex(readFileSync(HEX, 'utf8')).segments);
    const word = (at: number) => (image.get(at)! | (image.get(at + 1)! << 8) | (image.get(at + 2)! << 16) | (image.get(at + 3)! << 24)) >>> 0;
    expect(word(0)).toBe(RAM_START + RAM);
    expect(word(4) & 1).toBe(1);
    expect((word(4) & ~1) >>> 0).toBe(functionAddress(elf, 'Reset_Handler'));
    for (let v = 2; v < 16; v++) if (word(4 * v) !== 0) expect(word(4 * v), `vector ${v}`).toBeLessThan(FLASH);
    const size = firmwareSize(elf);
    expect(size.rom_bytes).toBeLessThan(FLASH);
    expect(size.ram_bytes).toBeLessThanOrEqual(RAM);
    expect({ blobBytes: findSymbol(elf, 'blob')?.size, arenaBytes: findSymbol(elf, 'arena')?.size }).toEqual(board.runtime!.holds);
  });

  it('drives UARTE0 (0x40002000) at 115200 baud with EasyDMA buffers in RAM, and starts the HFXO (CLOCK 0x40000000)', () => {
    const init = functionWords(elfBytes, elf, 'board_init');
    expect(init).toContain(0x4000_2000);
    const rxByte = findSymbol(elf, 'rx_byte')!, txBuffer = findSymbol(elf, 'tx_buffer')!;
    for (const buffer of [rxByte, txBuffer]) {
      expect(buffer.value).toBeGreaterThanOrEqual(RAM_START);
      expect(buffer.value + buffer.size).toBeLessThanOrEqual(RAM_START + RAM);
    }
    expect(txBuffer.size).toBe(64);
    // RXD.PTR is loaded with the RAM byte at start-up and after every byte; TXD.PTR with the RAM buffer.
    expect(init).toContain(rxByte.value);
    expect(functionWords(elfBytes, elf, 'board_uart_read_byte')).toContain(rxByte.value);
    expect(functionWords(elfBytes, elf, 'board_uart_write')).toContain(txBuffer.value);
  });

  it.runIf(requireTools('arm-none-eabi-objdump'))('its disassembly writes BAUDRATE (0x524) = 0x01D60000, ENABLE (0x500) = 8 and the P0.06/P1.08 pin selects', () => {
    const asm = execFileSync('arm-none-eabi-objdump', ['-d', '--no-show-raw-insn', ELF], { encoding: 'utf8' });
    const body = asm.slice(asm.indexOf('<board_init>:'), asm.indexOf('\n\n', asm.indexOf('<board_init>:')));
    expect(body).toMatch(/#30801920\s+@ 0x1d60000/); // 0x01D60000, Nordic's UARTE 115200 value (actual 115108 baud)
    for (const offset of ['0x524', '0x500', '0x50c', '0x514', '0x534', '0x538', '0x56c']) expect(body, offset).toMatch(new RegExp(`str(\\.w)?\\s+r\\d, \\[r\\d, #\\d+\\]\\s+@ ${offset}\\b`));
    expect(body).toMatch(/movs\s+r\d, #6\b/); // PSEL.TXD = P0.06
    expect(body).toMatch(/movs\s+r\d, #40\s+@ 0x28/); // PSEL.RXD = port 1 (bit 5) | pin 8
  });
});

/** Each function's instructions from `objdump -d`, with addresses, branch targets and pc-relative offsets left out. */
function disassembly(file: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of execFileSync('arm-none-eabi-objdump', ['-d', '--no-show-raw-insn', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n')) {
    const head = /^[0-9a-f]+ <(.+)>:$/.exec(line);
    if (head) { out.set(head[1], (current = [])); continue; }
    const tab = line.indexOf('\t');
    if (current && tab >= 0) current.push(line.slice(tab + 1).replace(/[0-9a-f]{4,8} <[^>]*>/g, 'ADDR').replace(/@.*$/, '').replace(/\[pc, #\d+\]/g, '[pc]').trim());
  }
  return out;
}

describe.runIf(requireTools('arm-none-eabi-objdump'))('micro:bit v2 runtime kernels', () => {
  it('are instruction for instruction the VirtualCortexM4 image\'s (the code checked bit-exact on QEMU mps2-an386)', () => {
    const microbit = disassembly(ELF);
    const virtualM4 = disassembly(join(PREBUILT, 'mote-runtime-virtual-cortex-m4.elf'));
    const kernels = [...microbit.keys()].filter((name) => /^(mote_rt_run_layer|conv_|dense_|pool_|depthwise_|add_|softmax_)/.test(name));
    expect(kernels).toContain('mote_rt_run_layer');
    for (const name of kernels) expect(microbit.get(name), name).toEqual(virtualM4.get(name));
  });
});

describe.runIf(requireTools('arm-none-eabi-gcc', 'arm-none-eabi-objcopy'))('MicrobitV2 generated-C firmware (nRF52833)', () => {
  it('builds and links within flash and RAM, vectors at 0, with a .bin for DAPLink', async () => {
    const build = await createLocalToolchain().build({ board: 'microbit-v2', modelFiles: readModelDir(), options: { baudrate: 115200 } });
    const elf = parseElf(build.files['firmware.elf']);
    expect(elf.sections.find((s) => s.name === '.isr_vector')!.addr).toBe(0);
    const size = firmwareSize(elf);
    expect(size.rom_bytes).toBeLessThan(FLASH);
    expect(size.ram_bytes).toBeLessThan(RAM);
    const bin = build.files['firmware.bin'];
    const words = new DataView(bin.buffer, bin.byteOffset);
    expect(words.getUint32(0, true)).toBe(RAM_START + RAM);
    expect((words.getUint32(4, true) & ~1) >>> 0).toBe(functionAddress(elf, 'Reset_Handler'));
  });

  it('refuses a baud rate the UARTE has no register value for', async () => {
    await expect(createLocalToolchain().build({ board: 'microbit-v2', modelFiles: readModelDir(), options: { baudrate: 100000 } })).rejects.toThrow(/UARTE runs at/);
  });
});
