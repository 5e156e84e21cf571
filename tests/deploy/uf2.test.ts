import { describe, expect, it } from 'vitest';
import { readUf2, uf2Families, UF2_BLOCK_BYTES, writeUf2 } from '../../src/core/deploy/formats/uf2';

const rp2040 = { familyId: uf2Families.rp2040, payloadBytes: 256, flash: { start: 0x10000000, bytes: 2 * 1024 * 1024 } };
const image = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7 + 3) & 0xff);
const file = () => writeUf2(image, { baseAddress: 0x10000000, familyId: uf2Families.rp2040 });
const setWord = (bytes: Uint8Array, offset: number, value: number) => new DataView(bytes.buffer).setUint32(offset, value, true);

describe('UF2 writer and strict reader', () => {
  it('writes 256-byte payloads at 256-aligned addresses with the family flag, and reads back the image', () => {
    const uf2 = file();
    expect(uf2.length).toBe(4 * UF2_BLOCK_BYTES);
    const view = new DataView(uf2.buffer);
    expect(view.getUint32(0, true)).toBe(0x0a324655);
    expect(view.getUint32(4, true)).toBe(0x9e5d5157);
    expect(view.getUint32(8, true)).toBe(0x2000);
    expect(view.getUint32(512 + 12, true)).toBe(0x10000100);
    expect(view.getUint32(16, true)).toBe(256);
    expect(view.getUint32(3 * 512 + 20, true)).toBe(3);
    expect(view.getUint32(24, true)).toBe(4);
    expect(view.getUint32(28, true)).toBe(0xe48bff56);
    expect(view.getUint32(508, true)).toBe(0x0ab16f30);
    const read = readUf2(uf2, rp2040);
    expect(read.baseAddress).toBe(0x10000000);
    expect(read.image.subarray(0, image.length)).toEqual(image);
    // the last block's padding is zeros, as written
    expect(read.image.subarray(image.length).every((b) => b === 0)).toBe(true);
  });

  const hostile: [string, (uf2: Uint8Array) => Uint8Array, RegExp][] = [
    ['a truncated file', (u) => u.subarray(0, 700), /whole number of 512-byte blocks/],
    ['a wrong magic', (u) => { setWord(u, 512 + 4, 0); return u; }, /block 1 .*wrong magic/],
    ['another family', (u) => { for (let b = 0; b < 4; b++) setWord(u, b * 512 + 28, uf2Families.esp32c3); return u; }, /family 0xd42ba06c, not 0xe48bff56/],
    ['a 476-byte payload', (u) => { setWord(u, 16, 476); return u; }, /takes exactly 256/],
    ['a block number twice', (u) => { setWord(u, 2 * 512 + 20, 1); return u; }, /block number 1 twice/],
    ['a wrong block count', (u) => { setWord(u, 24, 9); return u; }, /says the file has 9 blocks/],
    ['an address outside flash', (u) => { setWord(u, 3 * 512 + 12, 0x20000000); return u; }, /outside flash/],
    ['the not-main-flash flag', (u) => { setWord(u, 8, 0x2001); return u; }, /not main flash/],
  ];
  it.each(hostile)('refuses %s, naming the block and field', (_, spoil, message) => {
    expect(() => readUf2(spoil(file()), rp2040)).toThrow(message);
  });

  it('refuses to write what a bootloader could not place', () => {
    expect(() => writeUf2(new Uint8Array(0), { baseAddress: 0x10000000, familyId: 1 })).toThrow(/empty image/);
    expect(() => writeUf2(image, { baseAddress: 0x10000080, familyId: 1 })).toThrow(/not aligned/);
    expect(() => writeUf2(image, { baseAddress: 0, familyId: 1, payloadBytes: 500 })).toThrow(/multiple of 4 between 4 and 476/);
  });
});
