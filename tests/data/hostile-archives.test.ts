// Attacks on the archive readers (tests/samples/hostile/archives/README.md says what each sample does): a
// bad CRC, a declared size smaller than the data, a declared size no DEFLATE stream can reach, a gzip trailer
// that lies, a tar header claiming gigabytes, and a 1 MB gzip that inflates to 1 GiB. Each must end in an
// InputFileError naming the entry, without allocating what the attacker declared.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createGzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputFileError } from '../../src/core/base/errors';
import { gunzipBytes, maybeGunzip, openArchive, readTar } from '../../src/core/data/archive';
import { bytesSource } from '../../src/core/data/source';

const samples = resolve(__dirname, '../samples/hostile/archives');
const sample = (name: string) => new Uint8Array(readFileSync(resolve(samples, name)));

async function readOnlyEntry(name: string): Promise<Uint8Array> {
  const archive = await openArchive(bytesSource(name, sample(name)));
  const [entry] = await archive.list();
  return archive.read(entry);
}

/** A real gzip of `bytes` zero bytes, streamed so the test never holds the inflated data either. */
async function zeroBomb(bytes: number): Promise<Uint8Array> {
  const gzip = createGzip({ level: 9 });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((ok) => gzip.on('end', ok));
  const zeros = Buffer.alloc(1 << 20);
  for (let written = 0; written < bytes; written += zeros.length) {
    if (!gzip.write(zeros)) await new Promise((ok) => gzip.once('drain', ok));
  }
  gzip.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

describe('hostile archives', () => {
  it('a zip entry with a bad CRC-32 is refused, naming the entry', async () => {
    await expect(readOnlyEntry('bad-crc.zip')).rejects.toThrow(/zip entry 'data\/train\.csv' fails its CRC-32 check/);
  });

  it('a zip entry whose declared size is too small is refused instead of truncated', async () => {
    await expect(readOnlyEntry('declared-size-too-small.zip')).rejects.toThrow(/zip entry 'data\/train\.csv' holds more than the 100 bytes its header declares/);
  });

  it('a zip entry declaring more than DEFLATE can produce is refused before allocating it', async () => {
    const before = process.memoryUsage().arrayBuffers;
    await expect(readOnlyEntry('declared-size-impossible.zip')).rejects.toThrow(/zip entry 'data\/train\.csv'.*(more than DEFLATE can produce|more than the \d+ Mote reads)/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
  });

  it('a gzip whose trailer lies about its size is refused (both decoders)', async () => {
    const bytes = sample('gzip-trailer-lies.gz');
    expect(() => maybeGunzip(bytes, 'gzip-trailer-lies.gz')).toThrow(InputFileError);
    expect(() => maybeGunzip(bytes, 'gzip-trailer-lies.gz')).toThrow(/inflates to more than the 100 bytes its trailer declares/);
    await expect(gunzipBytes(bytes, 'gzip-trailer-lies.gz')).rejects.toThrow(/inflates to more than the 100 bytes its trailer declares/);
  });

  it('a 1 MB gzip that inflates to 1 GiB is refused from its trailer, before inflating', async () => {
    const bomb = await zeroBomb(1 << 30);
    expect(bomb.length).toBeLessThan(2 << 20);
    const before = process.memoryUsage().arrayBuffers;
    await expect(gunzipBytes(bomb, 'bomb.gz')).rejects.toThrow(/bomb\.gz: the gzip file would hold 1073741824 bytes once decompressed, more than the \d+ Mote reads into memory at once/);
    expect(() => maybeGunzip(bomb, 'bomb.gz')).toThrow(/would hold 1073741824 bytes/);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 << 20);
  }, 60_000);

  it('a tar header claiming 8 GiB for an entry Mote keeps is refused before allocating', async () => {
    const header = new Uint8Array(512);
    const put = (offset: number, text: string) => header.set(new TextEncoder().encode(text), offset);
    put(0, 'data/huge.bin');
    put(100, '0000644\0');
    put(124, '77777777777\0'); // 8 GiB - 1 in octal
    put(156, '0');
    put(257, 'ustar\x0000');
    put(148, '        ');
    let sum = 0;
    for (const b of header) sum += b;
    put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
    async function* stream() { yield header; yield new Uint8Array(4096); }
    await expect(readTar(stream(), 'huge.tar')).rejects.toThrow(/huge\.tar: tar entry 'data\/huge\.bin' would hold 8589934591 bytes once decompressed/);
  });
});
