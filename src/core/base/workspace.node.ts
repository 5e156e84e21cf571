import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { ConfigError } from './errors';
import type { Workspace } from './workspace';
import { workspacePath } from './workspace-path';

export function nodeWorkspace(root: string = process.cwd()): Workspace {
  const base = resolve(root);
  // Relative, no '..' (workspacePath), and still inside the root once resolved (defence in depth).
  const at = (path: string) => {
    const target = resolve(base, workspacePath(path));
    const inside = relative(base, target);
    if (inside.startsWith('..') || inside.startsWith(sep) || resolve(base, inside) !== target) throw new ConfigError(`path ${JSON.stringify(path)} leaves the workspace ${base}`);
    return target;
  };
  return {
    readFile: async (path) => new Uint8Array(await readFile(at(path))),
    readText: async (path) => readFile(at(path), 'utf8'),
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
