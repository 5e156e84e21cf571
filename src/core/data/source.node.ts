// Node adapters for FileSource: a folder on disk (files read on demand) and a single file (an archive or
// anything else a dataset kind may look inside), for the CLI and tests.

import { openSync, closeSync, readSync, fstatSync, createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep, basename, dirname } from 'node:path';
import { InputFileError } from '../base/errors';
import type { ByteSource, FileSource } from './source';
import { isJunkPath, missingFile, normalizePath } from './source';
import { archiveKindOf } from './archive';

export function nodeFileBytes(path: string): ByteSource {
  const fd = openSync(path, 'r');
  const size = fstatSync(fd).size;
  closeSync(fd);
  return {
    name: basename(path),
    size,
    slice: async (start, end) => {
      const length = Math.max(0, Math.min(end, size) - start);
      const out = new Uint8Array(length);
      const handle = openSync(path, 'r');
      try {
        let done = 0;
        while (done < length) {
          const n = readSync(handle, out, done, length - done, start + done);
          if (n === 0) break;
          done += n;
        }
      } finally {
        closeSync(handle);
      }
      return out;
    },
    stream: async function* () {
      for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield new Uint8Array(chunk as Buffer);
    },
  };
}

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, out);
    else if (entry.isFile() || entry.isSymbolicLink()) {
      const rel = normalizePath(relative(root, full).split(sep).join('/'));
      if (!isJunkPath(rel)) out.push(rel);
    }
  }
}

export function nodeFolderSource(dir: string): FileSource {
  let listing: Promise<string[]> | undefined;
  const label = `folder ${dir}`;
  return {
    label,
    list: () => (listing ??= (async () => { const out: string[] = []; await walk(dir, dir, out); return out.sort(); })()),
    read: async (path) => {
      try {
        return new Uint8Array(await readFile(join(dir, normalizePath(path))));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw missingFile(label, path);
        throw error;
      }
    },
    open: async (path) => nodeFileBytes(join(dir, normalizePath(path))),
  };
}

/**
 * The dataset `path` of an experiment: a folder, an archive (opened by the kinds while they look for their
 * files), or one file of an extracted dataset (then its folder is used, so pointing at
 * `train-images-idx3-ubyte.gz` works too).
 */
export async function openNodePath(path: string): Promise<FileSource> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new InputFileError(`dataset path '${path}' does not exist; set [dataset] params.path to the folder or archive you downloaded`);
  }
  if (info.isDirectory()) return nodeFolderSource(path);
  const name = basename(path);
  if (!archiveKindOf(name)) return nodeFolderSource(dirname(path));
  const label = `file ${path}`;
  return {
    label,
    list: async () => [name],
    read: async (p) => { if (normalizePath(p) !== name) throw missingFile(label, p); return new Uint8Array(await readFile(path)); },
    open: async (p) => { if (normalizePath(p) !== name) throw missingFile(label, p); return nodeFileBytes(path); },
  };
}
