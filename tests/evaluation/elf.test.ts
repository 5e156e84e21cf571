import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EM_ARM, findSymbol, firmwareSize, functionAddress, parseElf } from '../../src/core/deploy/elf';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { readModelDir, requireTools } from '../firmware/helpers';

/** `size -A -d` lines → {section: bytes}, the tool Qualia runs. */
function sizeTool(program: string, path: string): Record<string, number> {
  const out = spawnSync(program, ['-A', '-d', path], { encoding: 'utf8' }).stdout;
  const sizes: Record<string, number> = {};
  for (const line of out.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s+\d+/.exec(line);
    if (m) sizes[m[1]] = Number(m[2]);
  }
  return sizes;
}

describe('ELF reader', () => {
  it.runIf(requireTools('arm-none-eabi-gcc', 'arm-none-eabi-size', 'arm-none-eabi-nm'))('reads 32-bit Arm firmware: same section sizes as arm-none-eabi-size, symbols as nm', async () => {
    const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: readModelDir() });
    const bytes = build.files['firmware.elf'];
    const dir = mkdtempSync(join(tmpdir(), 'mote-elf-'));
    try {
      const path = join(dir, 'fw.elf');
      writeFileSync(path, bytes);
      const elf = parseElf(bytes);
      expect(elf.class).toBe(32);
      expect(elf.machine).toBe(EM_ARM);
      const reference = sizeTool('arm-none-eabi-size', path);
      const mine = firmwareSize(elf).sections;
      for (const [name, size] of Object.entries(reference)) expect(mine[name], name).toBe(size);
      const nm = spawnSync('arm-none-eabi-nm', [path], { encoding: 'utf8' }).stdout;
      const begin = /^([0-9a-f]+) T mote_mark_begin$/m.exec(nm)![1];
      expect(functionAddress(elf, 'mote_mark_begin')).toBe(parseInt(begin, 16));
      expect(findSymbol(elf, 'cnn')?.type).toBe(2);
      const size = firmwareSize(elf);
      expect(size.rom_bytes).toBe(['.isr_vector', '.text', '.rodata', '.ARM', '.preinit_array', '.init_array', '.fini_array', '.data'].reduce((s, n) => s + (reference[n] ?? 0), 0));
      expect(size.ram_bytes).toBe(['.bss', '.data', '._user_heap_stack'].reduce((s, n) => s + (reference[n] ?? 0), 0));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.runIf(requireTools('gcc', 'size'))('reads 64-bit host executables too (the Linux target)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-elf-'));
    try {
      writeFileSync(join(dir, 'a.c'), 'int table[300]; int main(void) { return table[3]; }\n');
      expect(spawnSync('gcc', ['-O1', '-o', join(dir, 'a.out'), join(dir, 'a.c')]).status).toBe(0);
      const elf = parseElf(new Uint8Array(readFileSync(join(dir, 'a.out'))));
      expect(elf.class).toBe(64);
      expect(firmwareSize(elf).sections['.text']).toBe(sizeTool('size', join(dir, 'a.out'))['.text']);
      expect(findSymbol(elf, 'table')?.size).toBe(1200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says what is wrong with a file that is not an ELF', () => {
    expect(() => parseElf(new Uint8Array(100), 'firmware.bin')).toThrow(/firmware.bin is not a readable ELF file: missing the .*ELF signature; pass the .elf/);
    const truncated = new Uint8Array(64);
    truncated.set([0x7f, 0x45, 0x4c, 0x46, 1, 1]);
    new DataView(truncated.buffer).setUint32(32, 5000, true);
    new DataView(truncated.buffer).setUint16(48, 10, true);
    new DataView(truncated.buffer).setUint16(46, 40, true);
    expect(() => parseElf(truncated)).toThrow(/truncated/);
  });
});
