// Where dataset files come from, the same way in Node (a folder, an archive on disk) and in the browser
// (picked files, a dropped folder, a directory handle, an archive): a FileSource lists relative paths and
// reads bytes. Dataset kinds locate their files by fingerprint (a marker file such as
// `activity_labels.txt`, see locate.ts), not by the name of the archive, so `UCI HAR Dataset.zip`, the outer
// UCI download that wraps it, and the extracted folder all load the same way.

import { InputFileError } from '../base/errors';

/** Random access to one (possibly large) file without reading it all: a Blob, a Node file, bytes in memory. */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  slice(start: number, end: number): Promise<Uint8Array>;
  /** The whole content in chunks, for decoders that stream (gzip, tar). */
  stream(): AsyncIterable<Uint8Array>;
}

export interface FileSource {
  /** How the user would recognise it in a message: `folder data/UCI HAR Dataset`, `archive cifar.tar.gz`. */
  readonly label: string;
  /** Relative paths of the files (not folders), `/`-separated, without `./`. */
  list(): Promise<string[]>;
  /** The whole file; InputFileError when it does not exist. */
  read(path: string): Promise<Uint8Array>;
  /** Random access to a file, for archives inside the source that should not be read whole. */
  open?(path: string): Promise<ByteSource>;
}

export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    slice: async (start, end) => bytes.subarray(start, Math.min(end, bytes.length)),
    stream: async function* () {
      const chunk = 1 << 20;
      for (let offset = 0; offset < bytes.length; offset += chunk) yield bytes.subarray(offset, offset + chunk);
    },
  };
}

/** A Blob or File (browser, worker, Node ≥ 20) read lazily. */
export function blobSource(blob: Blob, name = (blob as File).name ?? 'blob'): ByteSource {
  return {
    name,
    size: blob.size,
    slice: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
    stream: async function* () {
      const reader = blob.stream().getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    },
  };
}

export function normalizePath(path: string): string {
  let p = path.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  if (p.startsWith('/')) p = p.slice(1);
  return p;
}

/** Files that archivers add and that are never data: macOS resource forks and their folder. */
export function isJunkPath(path: string): boolean {
  return path.startsWith('__MACOSX/') || path.includes('/__MACOSX/') || /(^|\/)\._[^/]*$/.test(path) || /(^|\/)\.DS_Store$/.test(path);
}

/** Files held in memory (tests, small picked sets, entries of a tar). */
export function memorySource(label: string, files: Map<string, Uint8Array> | Record<string, Uint8Array>): FileSource {
  const map = files instanceof Map ? files : new Map(Object.entries(files));
  const entries = new Map<string, Uint8Array>();
  for (const [path, bytes] of map) entries.set(normalizePath(path), bytes);
  const read = async (path: string): Promise<Uint8Array> => {
    const bytes = entries.get(normalizePath(path));
    if (!bytes) throw missingFile(label, path);
    return bytes;
  };
  return {
    label,
    list: async () => [...entries.keys()],
    read,
    open: async (path) => bytesSource(path, await read(path)),
  };
}

export function missingFile(label: string, path: string, what = ''): InputFileError {
  return new InputFileError(`${label}: file '${path}' not found${what ? ` (${what})` : ''}; check that the dataset path points at the original, complete download`);
}

/** The files under `prefix` of `source`, seen as a source of their own. */
export function subSource(source: FileSource, prefix: string): FileSource {
  if (!prefix) return source;
  const p = prefix.endsWith('/') ? prefix : prefix + '/';
  return {
    label: `${source.label} › ${p.slice(0, -1)}`,
    list: async () => (await source.list()).filter((f) => f.startsWith(p)).map((f) => f.slice(p.length)),
    read: (path) => source.read(p + normalizePath(path)),
    open: source.open ? (path) => source.open!(p + normalizePath(path)) : undefined,
  };
}
