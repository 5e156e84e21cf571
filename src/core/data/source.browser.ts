// Browser adapters for FileSource: files from <input type=file multiple webkitdirectory> or a drop
// (File[] / FileList, paths from webkitRelativePath) and a FileSystemDirectoryHandle (File System Access
// API). Uses only Blob/File, which exist in windows, workers and Node ≥ 20.

import type { FileSource } from './source';
import { blobSource, isJunkPath, missingFile, normalizePath } from './source';

function relativePathOf(file: File): string {
  const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath;
  return normalizePath(rel && rel.length > 0 ? rel : file.name);
}

export function fileListSource(files: Iterable<File> | ArrayLike<File>, label = 'picked files'): FileSource {
  const byPath = new Map<string, File>();
  for (const file of Array.from(files as ArrayLike<File>)) {
    const path = relativePathOf(file);
    if (!isJunkPath(path)) byPath.set(path, file);
  }
  const get = (path: string): File => {
    const file = byPath.get(normalizePath(path));
    if (!file) throw missingFile(label, path);
    return file;
  };
  return {
    label,
    list: async () => [...byPath.keys()],
    read: async (path) => new Uint8Array(await get(path).arrayBuffer()),
    open: async (path) => blobSource(get(path), path),
  };
}

/** The subset of FileSystemDirectoryHandle used here (the DOM typings lack `entries()` in some libs). */
interface DirectoryHandleLike {
  readonly kind: 'directory';
  readonly name: string;
  entries(): AsyncIterable<[string, DirectoryHandleLike | FileHandleLike]>;
}
interface FileHandleLike { readonly kind: 'file'; readonly name: string; getFile(): Promise<File> }

export function directoryHandleSource(root: DirectoryHandleLike): FileSource {
  const label = `folder ${root.name}`;
  let index: Promise<Map<string, FileHandleLike>> | undefined;
  const build = async () => {
    const out = new Map<string, FileHandleLike>();
    const visit = async (dir: DirectoryHandleLike, prefix: string) => {
      for await (const [name, handle] of dir.entries()) {
        const path = prefix + name;
        if (isJunkPath(path) || isJunkPath(path + '/')) continue;
        if (handle.kind === 'directory') await visit(handle, path + '/');
        else out.set(path, handle);
      }
    };
    await visit(root, '');
    return out;
  };
  const get = async (path: string) => {
    const handle = (await (index ??= build())).get(normalizePath(path));
    if (!handle) throw missingFile(label, path);
    return handle.getFile();
  };
  return {
    label,
    list: async () => [...(await (index ??= build())).keys()],
    read: async (path) => new Uint8Array(await (await get(path)).arrayBuffer()),
    open: async (path) => blobSource(await get(path), path),
  };
}
