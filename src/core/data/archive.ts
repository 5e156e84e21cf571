// Archive readers: zip (central directory read by hand so that entries inflate lazily, one at a time, with
// fflate's inflate), tar (512-byte ustar headers, pax and GNU long names) and gzip (streamed through the
// platform's DecompressionStream, or fflate's Gunzip where it is missing, so a large .tar.gz never sits in
// memory compressed and decompressed at once). Formats: PKWARE APPNOTE 6.3 (zip), POSIX.1-2001 ustar/pax
// (tar), RFC 1952 (gzip).

import { Gunzip, gunzipSync, inflateSync } from 'fflate';
import { crc32 } from '../base/crc32';
import { InputFileError } from '../base/errors';
import type { ByteSource, FileSource } from './source';
import { isJunkPath, memorySource, missingFile, normalizePath, bytesSource } from './source';

export type ArchiveKind = 'zip' | 'tar' | 'tar.gz';

/**
 * The most one decompressed file (a zip entry, a gunzipped file, a kept tar entry) may hold in memory, and
 * the most one archive may keep in memory in all. Real dataset files are far smaller (UCI-HAR's largest
 * entry is 66 MB, Fashion-MNIST's 47 MB); a hostile archive that declares or inflates to more is refused
 * before anything that size is allocated.
 */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
export const MAX_KEPT_BYTES = 4 * 1024 * 1024 * 1024;
/** DEFLATE cannot expand data by more than about 1032:1; a declared size beyond that is a lie. */
const MAX_DEFLATE_RATIO = 1032;

function tooLarge(label: string, what: string, bytes: number): InputFileError {
  return new InputFileError(`${label}: ${what} would hold ${bytes} bytes once decompressed, more than the ${MAX_FILE_BYTES} Mote reads into memory at once; extract the archive and give the folder (or split the file)`);
}

/** The size a gzip stream declares (ISIZE, RFC 1952 §2.3.1: the last 4 bytes, mod 2^32). */
function gzipDeclaredSize(bytes: Uint8Array): number {
  const n = bytes.length;
  return n < 18 ? 0 : (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
}

/** Checks a whole gzip file's declared size against the caps before it is inflated. */
function checkGzipSize(bytes: Uint8Array, label: string): number {
  const declared = gzipDeclaredSize(bytes);
  // A truncated file's "trailer" is whatever bytes it ends with, so an impossible size means damage first.
  if (bytes.length < 18 || declared > bytes.length * MAX_DEFLATE_RATIO) {
    throw new InputFileError(`${label}: the gzip data is damaged or truncated (its trailer declares ${declared} bytes from ${bytes.length} compressed, more than DEFLATE can produce); download the file again`);
  }
  if (declared > MAX_FILE_BYTES) throw tooLarge(label, 'the gzip file', declared);
  return declared;
}

/** Archive kind from a file name (used to decide what to open while searching a source). */
export function archiveKindOf(path: string): ArchiveKind | undefined {
  const name = path.toLowerCase();
  if (name.endsWith('.zip')) return 'zip';
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz')) return 'tar.gz';
  if (name.endsWith('.tar')) return 'tar';
  return undefined;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Gunzips `bytes` when they start with the gzip magic; returns them unchanged otherwise. */
export function maybeGunzip(bytes: Uint8Array, label: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  const declared = checkGzipSize(bytes, label);
  let out: Uint8Array;
  try {
    // One byte more than declared: if it fills, the stream holds more than its trailer says.
    out = gunzipSync(bytes, { out: new Uint8Array(declared + 1) });
  } catch (error) {
    throw new InputFileError(`${label}: the gzip data is damaged or truncated (${(error as Error).message}); download the file again`, { cause: error });
  }
  if (out.length !== declared) throw new InputFileError(`${label}: the gzip data inflates to ${out.length > declared ? 'more than' : out.length + ' bytes, not'} the ${declared} bytes its trailer declares; it is damaged or hostile (several gzip members are not supported: gunzip it first)`);
  return out;
}

/**
 * Gunzips with the platform's native DecompressionStream (browsers, workers, Node ≥ 18: several times
 * faster than inflating in JavaScript), falling back to fflate where it is missing.
 */
export async function gunzipBytes(bytes: Uint8Array, label: string): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') return maybeGunzip(bytes, label);
  const declared = checkGzipSize(bytes, label);
  // Inflated into one buffer of the declared size: never more memory than the trailer announced.
  const out = new Uint8Array(declared);
  let filled = 0;
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (filled + value.length > declared) {
        await reader.cancel();
        throw new InputFileError(`${label}: the gzip data inflates to more than the ${declared} bytes its trailer declares; it is damaged or hostile (several gzip members are not supported: gunzip it first)`);
      }
      out.set(value, filled);
      filled += value.length;
    }
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    throw new InputFileError(`${label}: the gzip data is damaged or truncated (${(error as Error).message}); download the file again`, { cause: error });
  }
  if (filled !== declared) throw new InputFileError(`${label}: the gzip data inflates to ${filled} bytes, not the ${declared} its trailer declares; it is damaged or truncated`);
  return out;
}

/** Like maybeGunzip, with the native decompressor when there is one. */
export async function maybeGunzipAsync(bytes: Uint8Array, label: string): Promise<Uint8Array> {
  return isGzip(bytes) ? gunzipBytes(bytes, label) : bytes;
}

export interface OpenArchiveOptions {
  /** Keep only these tar entries in memory (names are still listed). Zip entries are always read lazily. */
  keep?: (path: string) => boolean;
  label?: string;
}

/** Opens a zip, tar or tar.gz (recognised by its bytes, not its name) as a FileSource. */
export async function openArchive(file: ByteSource, options: OpenArchiveOptions = {}): Promise<FileSource> {
  const label = options.label ?? `archive ${file.name}`;
  const head = await file.slice(0, 512);
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5)) return openZip(file, label);
  if (isGzip(head)) return readTar(gunzipStream(file.stream(), label), label, options.keep);
  if (isTarHeader(head)) return readTar(file.stream(), label, options.keep);
  throw new InputFileError(`${label}: not a zip, tar or tar.gz archive (first bytes ${hex(head.subarray(0, 4))}); Mote reads the original dataset archives or their extracted folders`);
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ') || 'none: the file is empty';
}

// --- zip ---------------------------------------------------------------------------------------------

interface ZipEntry { name: string; method: number; crc: number; compressedSize: number; size: number; localOffset: number }

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

async function openZip(file: ByteSource, label: string): Promise<FileSource> {
  // The end-of-central-directory record sits in the last 22 + (up to 65 535 comment) bytes.
  const tailStart = Math.max(0, file.size - 22 - 65535);
  const tail = await file.slice(tailStart, file.size);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) { eocd = i; break; }
  }
  if (eocd < 0) throw new InputFileError(`${label}: the zip has no central directory (the file is truncated or not a zip); download it again`);
  const count = view.getUint16(eocd + 10, true);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new InputFileError(`${label}: zip64 archives (over 4 GiB or 65 535 entries) are not supported; extract it and give the folder instead`);
  if (cdOffset + cdSize > file.size) throw new InputFileError(`${label}: the zip is truncated (central directory at byte ${cdOffset} beyond the end, ${file.size} bytes); download it again`);
  const cd = await file.slice(cdOffset, cdOffset + cdSize);
  const cdView = new DataView(cd.buffer, cd.byteOffset, cd.byteLength);
  const decoder = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cdView.getUint32(p, true) !== CENTRAL_SIGNATURE) throw new InputFileError(`${label}: damaged zip central directory at entry ${i} (byte ${cdOffset + p})`);
    const method = cdView.getUint16(p + 10, true);
    const crc = cdView.getUint32(p + 16, true);
    const compressedSize = cdView.getUint32(p + 20, true);
    const size = cdView.getUint32(p + 24, true);
    const nameLength = cdView.getUint16(p + 28, true);
    const extraLength = cdView.getUint16(p + 30, true);
    const commentLength = cdView.getUint16(p + 32, true);
    const localOffset = cdView.getUint32(p + 42, true);
    const name = normalizePath(decoder.decode(cd.subarray(p + 46, p + 46 + nameLength)));
    p += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/') || name === '') continue;
    entries.set(name, { name, method, crc, compressedSize, size, localOffset });
  }
  const read = async (path: string): Promise<Uint8Array> => {
    const entry = entries.get(normalizePath(path));
    if (!entry) throw missingFile(label, path);
    const local = await file.slice(entry.localOffset, entry.localOffset + 30);
    const lv = new DataView(local.buffer, local.byteOffset, local.byteLength);
    if (local.length < 30 || lv.getUint32(0, true) !== LOCAL_SIGNATURE) throw new InputFileError(`${label}: damaged zip entry '${entry.name}' (no local header at byte ${entry.localOffset})`);
    const start = entry.localOffset + 30 + lv.getUint16(26, true) + lv.getUint16(28, true);
    if (start + entry.compressedSize > file.size) throw new InputFileError(`${label}: zip entry '${entry.name}' is truncated (needs bytes up to ${start + entry.compressedSize}, the file has ${file.size}); download it again`);
    if (entry.method !== 0 && entry.method !== 8) throw new InputFileError(`${label}: zip entry '${entry.name}' uses compression method ${entry.method}; only stored and deflate are supported — re-zip it or extract it`);
    if (entry.size > MAX_FILE_BYTES) throw tooLarge(label, `zip entry '${entry.name}'`, entry.size);
    if (entry.method === 8 && entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) {
      throw new InputFileError(`${label}: zip entry '${entry.name}' declares ${entry.size} bytes from ${entry.compressedSize} compressed, more than DEFLATE can produce; the zip is damaged or hostile`);
    }
    const data = await file.slice(start, start + entry.compressedSize);
    let content = data;
    if (entry.method === 8) {
      try {
        // One byte more than declared: if it fills, the entry holds more than its header says.
        content = inflateSync(data, { out: new Uint8Array(entry.size + 1) });
      } catch (error) {
        throw new InputFileError(`${label}: zip entry '${entry.name}' is damaged (${(error as Error).message})`, { cause: error });
      }
    }
    if (content.length !== entry.size) {
      throw new InputFileError(`${label}: zip entry '${entry.name}' holds ${content.length > entry.size ? 'more than' : `${content.length} bytes, not`} the ${entry.size} bytes its header declares; the zip is damaged or hostile — download it again`);
    }
    const actual = crc32(content);
    if (actual !== entry.crc) {
      throw new InputFileError(`${label}: zip entry '${entry.name}' fails its CRC-32 check (${hex32(actual)}, the zip says ${hex32(entry.crc)}); the file is corrupt — download it again`);
    }
    return content;
  };
  return {
    label,
    list: async () => [...entries.keys()].filter((n) => !isJunkPath(n)),
    read,
    open: async (path) => bytesSource(path, await read(path)),
  };
}

// --- gzip (streaming) ----------------------------------------------------------------------------------

/** Streaming gunzip; `native` (default: when the platform has DecompressionStream) picks the decoder. */
export async function* gunzipStream(input: AsyncIterable<Uint8Array>, label: string, native = typeof DecompressionStream !== 'undefined'): AsyncIterable<Uint8Array> {
  if (native) {
    yield* nativeGunzipStream(input, label);
    return;
  }
  const out: Uint8Array[] = [];
  let ended = false;
  const gunzip = new Gunzip((chunk, final) => { out.push(chunk); if (final) ended = true; });
  try {
    for await (const chunk of input) {
      gunzip.push(chunk, false);
      while (out.length) yield out.shift()!;
    }
    gunzip.push(new Uint8Array(0), true);
  } catch (error) {
    throw new InputFileError(`${label}: the gzip data is damaged or truncated (${(error as Error).message}); download it again`, { cause: error });
  }
  while (out.length) yield out.shift()!;
  if (!ended) throw new InputFileError(`${label}: the gzip stream ends early (truncated download)`);
}

/** The platform's DecompressionStream, fed from an async iterable (a 2.3 GB Speech Commands tar.gz streams through). */
async function* nativeGunzipStream(input: AsyncIterable<Uint8Array>, label: string): AsyncIterable<Uint8Array> {
  const iterator = input[Symbol.asyncIterator]();
  const compressed = new ReadableStream<Uint8Array<ArrayBuffer>>({
    async pull(controller) {
      const { done, value } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(value as Uint8Array<ArrayBuffer>);
    },
    async cancel() { await iterator.return?.(); },
  });
  const reader = compressed.pipeThrough(new DecompressionStream('gzip')).getReader();
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch (error) {
      throw new InputFileError(`${label}: the gzip data is damaged or truncated (${(error as Error).message}); download it again`, { cause: error });
    }
    if (result.done) return;
    yield result.value;
  }
}

// --- tar -----------------------------------------------------------------------------------------------

function isTarHeader(block: Uint8Array): boolean {
  return block.length >= 262 && String.fromCharCode(...block.subarray(257, 262)) === 'ustar';
}

function readString(block: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return new TextDecoder().decode(block.subarray(start, end));
}

function readSize(block: Uint8Array, label: string): number {
  if (block[124] & 0x80) {
    // GNU base-256 for sizes over 8 GiB.
    let n = 0;
    for (let i = 125; i < 136; i++) n = n * 256 + block[i];
    return n;
  }
  const text = readString(block, 124, 12).trim();
  const n = parseInt(text || '0', 8);
  if (!Number.isFinite(n)) throw new InputFileError(`${label}: damaged tar header (size field '${text}')`);
  return n;
}

function checksumOk(block: Uint8Array): boolean {
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : block[i];
  return sum === parseInt(readString(block, 148, 8).trim() || '-1', 8);
}

function parsePax(data: Uint8Array): Record<string, string> {
  const text = new TextDecoder().decode(data);
  const out: Record<string, string> = {};
  let p = 0;
  while (p < text.length) {
    const space = text.indexOf(' ', p);
    if (space < 0) break;
    const length = parseInt(text.slice(p, space), 10);
    if (!(length > 0)) break;
    const record = text.slice(space + 1, p + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    p += length;
  }
  return out;
}

/** Reads a tar stream once; entries passing `keep` are held in memory, the others only listed. */
export async function readTar(input: AsyncIterable<Uint8Array>, label: string, keep: (path: string) => boolean = () => true): Promise<FileSource> {
  const kept = new Map<string, Uint8Array>();
  const listed: string[] = [];
  const header = new Uint8Array(512);
  let headerFill = 0;
  let offset = 0; // bytes consumed, for messages
  let current: { name: string; type: string; size: number; data?: Uint8Array; filled: number; skip: number } | undefined;
  let nextName: string | undefined;
  let ended = false;
  let keptBytes = 0;

  const finishEntry = () => {
    const entry = current!;
    current = undefined;
    if (entry.type === 'x' && entry.data) { const pax = parsePax(entry.data); if (pax.path) nextName = pax.path; return; }
    if (entry.type === 'L' && entry.data) { nextName = readString(entry.data, 0, entry.data.length); return; }
    if (entry.type !== '0' && entry.type !== '\0' && entry.type !== '7') return;
    if (isJunkPath(entry.name) || entry.name.endsWith('/')) return;
    listed.push(entry.name);
    if (entry.data) kept.set(entry.name, entry.data);
  };

  for await (const chunk of input) {
    let p = 0;
    while (p < chunk.length && !ended) {
      if (current) {
        const want = current.size - current.filled;
        if (want > 0) {
          const n = Math.min(want, chunk.length - p);
          current.data?.set(chunk.subarray(p, p + n), current.filled);
          current.filled += n; p += n; offset += n;
          continue;
        }
        const n = Math.min(current.skip, chunk.length - p);
        current.skip -= n; p += n; offset += n;
        if (current.skip === 0) finishEntry();
        continue;
      }
      const n = Math.min(512 - headerFill, chunk.length - p);
      header.set(chunk.subarray(p, p + n), headerFill);
      headerFill += n; p += n; offset += n;
      if (headerFill < 512) continue;
      headerFill = 0;
      if (header.every((b) => b === 0)) { ended = true; break; }
      if (!checksumOk(header)) throw new InputFileError(`${label}: damaged tar header at byte ${offset - 512} (bad checksum); the archive is corrupt or not a tar`);
      const prefix = isTarHeader(header) ? readString(header, 345, 155) : '';
      const rawName = readString(header, 0, 100);
      const name = normalizePath(nextName ?? (prefix ? `${prefix}/${rawName}` : rawName));
      const type = String.fromCharCode(header[156]);
      if (type !== 'x' && type !== 'L' && type !== 'g') nextName = undefined;
      const size = readSize(header, label);
      const isMeta = type === 'x' || type === 'L';
      const isFile = type === '0' || type === '\0' || type === '7';
      const wanted = isMeta || (isFile && !isJunkPath(name) && keep(name));
      if (wanted) {
        // Sizes come from the header: check them before allocating (a header may claim gigabytes).
        if (size > (isMeta ? 1 << 20 : MAX_FILE_BYTES)) throw tooLarge(label, `tar entry '${name}'`, size);
        keptBytes += size;
        if (keptBytes > MAX_KEPT_BYTES) throw new InputFileError(`${label}: the entries Mote needs from this archive add up to more than ${MAX_KEPT_BYTES} bytes; extract it and give the folder instead`);
      }
      current = { name, type, size, data: wanted ? new Uint8Array(size) : undefined, filled: 0, skip: (512 - (size % 512)) % 512 };
      if (size === 0 && current.skip === 0) finishEntry();
    }
    if (ended) break;
  }
  if (current || headerFill !== 0) throw new InputFileError(`${label}: the tar archive is truncated (ends inside ${current ? `entry '${current.name}'` : 'a header'} at byte ${offset}); download it again`);
  const source = memorySource(label, kept);
  const listedSet = new Set(listed);
  return {
    label,
    list: async () => [...listed],
    read: async (path) => {
      const p = normalizePath(path);
      if (!kept.has(p) && listedSet.has(p)) throw new InputFileError(`internal: ${label}: '${p}' was skipped while reading the archive`);
      return source.read(p);
    },
    open: async (path) => bytesSource(path, await source.read(path)),
  };
}
