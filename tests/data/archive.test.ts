import { describe, expect, it } from 'vitest';
import { gzipSync, zipSync } from 'fflate';
import { gunzipStream, openArchive } from '../../src/core/data/archive';
import { locateDataset } from '../../src/core/data/locate';
import { bytesSource, memorySource } from '../../src/core/data/source';
import { InputFileError } from '../../src/core/base/errors';
import { text, writeTar, writeTarLongNames } from './fixtures';

const long = 'speech_commands_v0.02/' + 'very_long_folder_name_'.repeat(4) + '/clip_nohash_0.wav';
const files = { 'a/one.txt': text('one'), [long]: text('long'), 'a/empty.bin': new Uint8Array(0), 'a/big.bin': Uint8Array.from({ length: 70000 }, (_, i) => i % 251) };

async function contents(bytes: Uint8Array, keep?: (p: string) => boolean) {
  const source = await openArchive(bytesSource('test archive', bytes), { keep });
  const out: Record<string, number[]> = {};
  for (const path of (await source.list()).sort()) if (!keep || keep(path)) out[path] = Array.from(await source.read(path));
  return { list: (await source.list()).sort(), out };
}

describe('archives', () => {
  const expected = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Array.from(v)]));

  it('reads zip (stored and deflate), tar, tar.gz, pax and GNU long names identically, recognised by content', async () => {
    const shortFiles = Object.fromEntries(Object.entries(files).filter(([k]) => k !== long));
    const shortExpected = Object.fromEntries(Object.entries(expected).filter(([k]) => k !== long));
    expect((await contents(zipSync(files))).out).toEqual(expected);
    expect((await contents(zipSync(files, { level: 0 }))).out).toEqual(expected);
    expect((await contents(writeTar(shortFiles))).out).toEqual(shortExpected);
    expect((await contents(gzipSync(writeTar(shortFiles)))).out).toEqual(shortExpected);
    expect((await contents(gzipSync(writeTarLongNames(files, 'pax')))).out).toEqual(expected);
    expect((await contents(writeTarLongNames(files, 'gnu'))).out).toEqual(expected);
  });

  it('skips what `keep` rejects while streaming a tar, but still lists it', async () => {
    const { list, out } = await contents(gzipSync(writeTarLongNames(files, 'pax')), (p) => p.endsWith('.txt'));
    expect(list).toContain('a/big.bin');
    expect(Object.keys(out)).toEqual(['a/one.txt']);
  });

  it('names truncated and foreign files', async () => {
    const tar = writeTar({ 'a.bin': new Uint8Array(5000) });
    await expect(openArchive(bytesSource('cut.tar', tar.subarray(0, 3000)))).rejects.toThrow(/cut.tar: the tar archive is truncated \(ends inside entry 'a.bin' at byte 3000\)/);
    const bad = writeTar({ 'a.bin': new Uint8Array(10) });
    bad[130] ^= 1; // size field changed: checksum no longer matches
    await expect(openArchive(bytesSource('bad.tar', bad))).rejects.toThrow(/bad.tar: damaged tar header at byte 0 \(bad checksum\)/);
    await expect(openArchive(bytesSource('notes.rar', text('Rar!\x1a\x07 whatever')))).rejects.toThrow(/notes.rar: not a zip, tar or tar.gz archive \(first bytes 52 61 72 21\)/);
    const zip = zipSync({ 'x.txt': text('x'.repeat(1000)) });
    const source = await openArchive(bytesSource('x.zip', zip));
    await expect(source.read('y.txt')).rejects.toThrow(InputFileError);
    await expect(source.read('y.txt')).rejects.toThrow(/x.zip: file 'y.txt' not found/);
  });
});

describe('locating a dataset inside a source', () => {
  it('takes the shallowest marker, ignores __MACOSX and ._ files, and opens archives inside archives', async () => {
    const inner = zipSync({ 'data/marker.txt': text('m'), 'data/x.bin': text('x'), 'data/deeper/marker.txt': text('no') });
    const outer = zipSync({ 'download/inner.zip': inner, '__MACOSX/download/._inner.zip': text('junk'), '._marker.txt': text('junk') });
    const root = await locateDataset(memorySource('picked', { 'outer.zip': outer }), { markers: ['marker.txt'], expected: 'the test set' });
    expect(await root.read('x.bin')).toEqual(text('x'));
    expect((await root.list()).sort()).toEqual(['deeper/marker.txt', 'marker.txt', 'x.bin']);
    expect(root.label).toBe('picked › outer.zip › download/inner.zip › data');
  });
});

describe('streaming gunzip', () => {
  const data = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 253);
  const gz = gzipSync(data);
  async function* chunks(bytes: Uint8Array) { for (let i = 0; i < bytes.length; i += 4096) yield bytes.subarray(i, i + 4096); }
  async function collect(it: AsyncIterable<Uint8Array>) { const parts: number[] = []; for await (const c of it) for (const b of c) parts.push(b); return parts; }
  for (const native of [true, false]) {
    it(`${native ? 'native DecompressionStream' : 'fflate fallback'}: same bytes, truncation reported`, async () => {
      expect(await collect(gunzipStream(chunks(gz), 'x.gz', native))).toEqual(Array.from(data));
      await expect(collect(gunzipStream(chunks(gz.subarray(0, gz.length - 100)), 'x.gz', native))).rejects.toThrow(/x.gz: the gzip (data is damaged or truncated|stream ends early)/);
    });
  }
});
