// Every path the pipeline writes or reads (out/…, logs/…, a converter's outdir) is relative to the
// workspace and stays inside it: names from a shared experiment must never reach other files of the host.

import { ConfigError } from './errors';

/** Why `path` cannot be a workspace path, or undefined when it can. */
export function workspacePathProblem(path: string): string | undefined {
  if (path === '') return 'is empty';
  if (path.includes('\0')) return 'contains a NUL character';
  const slashed = path.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return 'is absolute; write a path relative to the experiment folder (e.g. out/qualia_codegen)';
  if (slashed.split('/').some((part) => part === '..')) return "contains '..'; write a path inside the experiment folder (e.g. out/qualia_codegen)";
  return undefined;
}

/** `path` normalised (forward slashes, no `./`, no doubled or trailing slashes); throws when it would leave the workspace. */
export function workspacePath(path: string): string {
  const problem = workspacePathProblem(path);
  if (problem) throw new ConfigError(`path ${JSON.stringify(path.length > 80 ? `${path.slice(0, 80)}…` : path)} ${problem}`);
  return path.replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^(\.\/)+/, '').replace(/\/(\.\/)+/g, '/').replace(/\/+$/, '');
}
