import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Workspace } from './workspace';

export function nodeWorkspace(root: string = process.cwd()): Workspace {
  const at = (path: string) => resolve(root, path);
  return {
    readFile: async (path) => new Uint8Array(await readFile(at(path))),
    readText: (path) => readFile(at(path), 'utf8'),
    async writeFile(path, data) {
      const target = at(path);
      await mkdir(dirname(target), { recursive: true });
      const temp = `${target}.${process.pid}.tmp`;
      await writeFile(temp, data);
      await rename(temp, target);
    },
    exists: async (path) => stat(at(path)).then(() => true, () => false),
    realPath: at,
  };
}
