// A small ELF reader (32- and 64-bit, little-endian): section headers, symbols, and Qualia's ROM/RAM
// section sums. Pure TypeScript so the browser can size a firmware it received from the hosted toolchain.
// Layout facts from the System V ABI / ELF specification (e_shoff at 0x20/0x28, Elf32_Shdr 40 bytes,
// Elf64_Shdr 64 bytes, Elf32_Sym 16 bytes, Elf64_Sym 24 bytes).
import { InputFileError } from '../base/errors';

export interface ElfSection {
  name: string;
  type: number;
  flags: number;
  addr: number;
  offset: number;
  size: number;
}

export interface ElfSymbol {
  name: string;
  value: number;
  size: number;
  /** STT_* from st_info (0 notype, 1 object, 2 func, …). */
  type: number;
}

export interface ElfFile {
  class: 32 | 64;
  machine: number;
  entry: number;
  sections: ElfSection[];
  symbols: ElfSymbol[];
}

export const EM_ARM = 40;
/** RISC-V (ELF psABI); 32- and 64-bit share it, told apart by the class byte. */
export const EM_RISCV = 243;
const SHT_SYMTAB = 2;

/** Qualia's sums (qualia_core deployment, `size -A -d`): what lives in flash, and what occupies RAM. */
export const ROM_SECTIONS = ['.boot2', '.isr_vector', '.text', '.rodata', '.ARM', '.preinit_array', '.init_array', '.fini_array', '.data'];
export const RAM_SECTIONS = ['.bss', '.data', '._user_heap_stack'];

export function parseElf(bytes: Uint8Array, name = 'firmware'): ElfFile {
  const fail = (what: string): never => { throw new InputFileError(`${name} is not a readable ELF file: ${what}; pass the .elf produced by the build, not the .bin`); };
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) fail('missing the \\x7fELF signature');
  const elfClass = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : fail(`unknown class byte ${bytes[4]}`);
  if (bytes[5] !== 1) fail('big-endian ELF files are not supported');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const is64 = elfClass === 64;
  const word = (offset: number) => (is64 ? Number(view.getBigUint64(offset, true)) : view.getUint32(offset, true));
  const machine = view.getUint16(18, true);
  const entry = word(24);
  const shoff = is64 ? word(40) : view.getUint32(32, true);
  const shentsize = view.getUint16(is64 ? 58 : 46, true);
  const shnum = view.getUint16(is64 ? 60 : 48, true);
  const shstrndx = view.getUint16(is64 ? 62 : 50, true);
  if (shoff === 0 || shnum === 0) fail('it has no section headers (stripped with --strip-all --remove-section?)');
  if (shoff + shnum * shentsize > bytes.length) fail(`section headers at byte ${shoff} run past the end of the file (${bytes.length} bytes); the file is truncated`);

  const raw = Array.from({ length: shnum }, (_, i) => {
    const base = shoff + i * shentsize;
    return is64
      ? { nameOffset: view.getUint32(base, true), type: view.getUint32(base + 4, true), flags: word(base + 8), addr: word(base + 16), offset: word(base + 24), size: word(base + 32), link: view.getUint32(base + 40, true), entsize: word(base + 56) }
      : { nameOffset: view.getUint32(base, true), type: view.getUint32(base + 4, true), flags: view.getUint32(base + 8, true), addr: view.getUint32(base + 12, true), offset: view.getUint32(base + 16, true), size: view.getUint32(base + 20, true), link: view.getUint32(base + 24, true), entsize: view.getUint32(base + 36, true) };
  });
  const readString = (tableIndex: number, offset: number): string => {
    const table = raw[tableIndex];
    if (!table) return '';
    let end = table.offset + offset;
    const limit = Math.min(bytes.length, table.offset + table.size);
    let text = '';
    while (end < limit && bytes[end] !== 0) text += String.fromCharCode(bytes[end++]);
    return text;
  };
  const sections: ElfSection[] = raw.map((s) => ({ name: readString(shstrndx, s.nameOffset), type: s.type, flags: s.flags, addr: s.addr, offset: s.offset, size: s.size }));

  const symbols: ElfSymbol[] = [];
  raw.forEach((s) => {
    if (s.type !== SHT_SYMTAB) return;
    const entsize = s.entsize || (is64 ? 24 : 16);
    if (s.offset + s.size > bytes.length) fail('its symbol table runs past the end of the file');
    for (let off = s.offset; off + entsize <= s.offset + s.size; off += entsize) {
      const nameOffset = view.getUint32(off, true);
      const info = is64 ? view.getUint8(off + 4) : view.getUint8(off + 12);
      const value = is64 ? Number(view.getBigUint64(off + 8, true)) : view.getUint32(off + 4, true);
      const size = is64 ? Number(view.getBigUint64(off + 16, true)) : view.getUint32(off + 8, true);
      const symName = readString(s.link, nameOffset);
      if (symName) symbols.push({ name: symName, value, size, type: info & 0xf });
    }
  });
  return { class: elfClass, machine, entry, sections, symbols };
}

export function findSymbol(elf: ElfFile, name: string): ElfSymbol | undefined {
  return elf.symbols.find((s) => s.name === name);
}

/** Code address of a function (Thumb symbols carry bit 0 set; the instruction address clears it). */
export function functionAddress(elf: ElfFile, name: string): number {
  const symbol = findSymbol(elf, name);
  if (!symbol) throw new InputFileError(`the firmware has no symbol '${name}'; was it built from Mote's firmware templates without stripping symbols?`);
  return elf.machine === EM_ARM ? symbol.value & ~1 : symbol.value;
}

export interface FirmwareSize {
  rom_bytes: number;
  ram_bytes: number;
  sections: Record<string, number>;
}

/** ROM and RAM as Qualia computes them (whole firmware, not just the model). */
export function firmwareSize(elf: ElfFile): FirmwareSize {
  const sizes: Record<string, number> = {};
  for (const s of elf.sections) if (s.name) sizes[s.name] = (sizes[s.name] ?? 0) + s.size;
  const sum = (names: string[]) => names.reduce((total, n) => total + (sizes[n] ?? 0), 0);
  return { rom_bytes: sum(ROM_SECTIONS), ram_bytes: sum(RAM_SECTIONS), sections: sizes };
}
