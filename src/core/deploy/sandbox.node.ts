// Every compiler and emulator Mote starts runs inside a bubblewrap (`bwrap`, Debian package bubblewrap)
// sandbox, because the hosted toolchain compiles C and runs firmware sent by strangers. bubblewrap is the
// kept, unprivileged tool Flatpak itself builds on; it needs no daemon and no root. The sandbox has:
// - no network, no other process, no IPC, its own hostname (--unshare-all), a new session (no TIOCSTI on
//   our terminal), and it dies with us (--die-with-parent), so nothing it starts can outlive the caller;
// - the system read-only (/usr plus the /bin,/lib… links, /etc/alternatives for Debian's toolchain links,
//   /etc/ld.so.cache), and nothing else of the host: no /home, /root, /etc, /work, /proc of the host;
// - one writable folder, the caller's own temporary folder, seen at /build; a small private /tmp;
// - resource limits set inside with util-linux `prlimit`: CPU seconds, address space, largest file
//   written, processes (counted per user namespace, so one sandbox cannot starve another);
// - never root: started by root, bwrap itself runs as `nobody` (the kernel exempts root from the process
//   limit, and an unprivileged bwrap must build its own user namespace), and the folder is handed to it.
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { MoteError } from '../base/errors';

/** bubblewrap is missing or cannot create its namespaces here. */
export class SandboxError extends MoteError {}

/** Where the caller's temporary folder appears inside the sandbox (the only writable, visible folder). */
export const SANDBOX_DIR = '/build';

export interface SandboxLimits {
  /** CPU seconds per process (RLIMIT_CPU): the kernel kills a process that spins past it. */
  cpuSeconds: number;
  /** Address space per process (RLIMIT_AS). */
  memoryBytes: number;
  /** Largest file a process may write (RLIMIT_FSIZE). */
  fileBytes: number;
  /** Processes and threads in the sandbox (RLIMIT_NPROC, per user namespace). */
  processes: number;
}

export interface SandboxSpec {
  /** The host folder mounted writable at SANDBOX_DIR (the working directory inside). */
  workDir: string;
  limits: SandboxLimits;
  /** Further host files mounted read-only at the same path (e.g. the QEMU plugin). */
  readOnlyFiles?: string[];
  /** Size of the private /tmp inside (compiler intermediates). */
  tmpBytes?: number;
}

const SYSTEM_LINKS = ['/bin', '/lib', '/lib32', '/lib64', '/libx32', '/sbin'];
const SYSTEM_FILES = ['/etc/ld.so.cache', '/etc/alternatives'];

/** Read-only binds of the system: /usr, the merged-usr links (or the folders where /usr is not merged). */
function systemBinds(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const path of SYSTEM_LINKS) {
    if (!existsSync(path)) continue;
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) args.push('--symlink', realpathSync(path).replace(/^\//, ''), path);
    else args.push('--ro-bind', path, path);
  }
  for (const path of SYSTEM_FILES) if (existsSync(path)) args.push('--ro-bind', path, path);
  return args;
}

/** Host folders outside /usr that hold `program` (a toolchain unpacked under /opt), bound read-only. */
function programBinds(program: string): string[] {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, program);
    if (!dir || !existsSync(candidate)) continue;
    const real = realpathSync(candidate);
    if (real.startsWith('/usr/')) return [];
    // <prefix>/bin/<program>: the prefix holds its libexec, lib and headers too.
    const prefix = dirname(dirname(real));
    return ['--ro-bind', prefix, prefix, '--setenv', 'PATH', `${dirname(real)}:/usr/bin:/bin`];
  }
  return [];
}

export interface SandboxedCommand {
  program: string;
  args: string[];
  /** The folder bwrap mounts at SANDBOX_DIR. */
  workDir: string;
  /** Pass to spawn: the unprivileged account bwrap runs as when we are root. */
  uid?: number;
  gid?: number;
}

let identity: { uid: number; gid: number } | null | undefined;

/** `nobody` (from /etc/passwd, else 65534) when this process is root; null otherwise. */
function unprivilegedIdentity(): { uid: number; gid: number } | null {
  if (identity !== undefined) return identity;
  if (process.getuid?.() !== 0) return (identity = null);
  let passwd = '';
  try { passwd = readFileSync('/etc/passwd', 'utf8'); } catch { /* fall back */ }
  const entry = passwd.split('\n').map((line) => line.split(':')).find((fields) => fields[0] === 'nobody');
  identity = entry ? { uid: Number(entry[2]), gid: Number(entry[3]) } : { uid: 65534, gid: 65534 };
  return identity;
}

/** Makes `dir` (a fresh temporary folder) writable by the sandbox's account; call before running in it. */
export function handOverToSandbox(dir: string): void {
  const id = unprivilegedIdentity();
  if (id) chownSync(dir, id.uid, id.gid);
}

/** The bwrap command line that runs `program args` inside the sandbox. */
export function sandboxCommand(program: string, args: string[], spec: SandboxSpec): SandboxedCommand {
  const { limits } = spec;
  const bwrap = [
    '--unshare-all', '--die-with-parent', '--new-session',
    '--clearenv', '--setenv', 'PATH', '/usr/bin:/bin', '--setenv', 'LANG', 'C', '--setenv', 'TMPDIR', '/tmp', '--setenv', 'HOME', SANDBOX_DIR,
    ...systemBinds(),
    ...programBinds(program),
    '--proc', '/proc', '--dev', '/dev',
    '--size', String(spec.tmpBytes ?? 256 * 1024 * 1024), '--tmpfs', '/tmp',
    // bwrap (unprivileged) must be able to walk this path: a root-only TMPDIR refuses it, clearly.
    '--bind', spec.workDir, SANDBOX_DIR,
    ...(spec.readOnlyFiles ?? []).flatMap((path) => ['--ro-bind', path, path]),
    '--chdir', SANDBOX_DIR,
    '--', 'prlimit',
    `--cpu=${Math.max(1, Math.ceil(limits.cpuSeconds))}`,
    `--as=${Math.floor(limits.memoryBytes)}`,
    `--fsize=${Math.floor(limits.fileBytes)}`,
    `--nproc=${Math.floor(limits.processes)}`,
    '--core=0',
    '--', program, ...args,
  ];
  const id = unprivilegedIdentity();
  return { program: 'bwrap', args: bwrap, workDir: spec.workDir, ...(id ? { uid: id.uid, gid: id.gid } : {}) };
}

/** Starts a sandboxed command as its account (nobody when we are root), with a minimal environment. */
export function spawnSandboxed(command: SandboxedCommand, stdio: ['ignore', 'pipe' | 'ignore', 'pipe' | 'ignore'], options: { detached?: boolean } = {}): ChildProcess {
  return spawn(command.program, command.args, { stdio, uid: command.uid, gid: command.gid, detached: options.detached, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C' } });
}

/** spawnSync for a sandboxed command (probes, tests). */
export function spawnSandboxedSync(command: SandboxedCommand, timeoutMs = 30_000): SpawnSyncReturns<string> {
  return spawnSync(command.program, command.args, { encoding: 'utf8', timeout: timeoutMs, uid: command.uid, gid: command.gid });
}

let checked: string | undefined;

/** Throws a SandboxError naming what to do when bubblewrap cannot run here; checked once per process. */
export function assertSandboxAvailable(): void {
  if (checked === 'ok') return;
  if (checked === undefined) {
    const probe = sandboxCommand('true', [], { workDir: '/tmp', limits: { cpuSeconds: 5, memoryBytes: 256 * 1024 * 1024, fileBytes: 1024, processes: 8 } });
    const result = spawnSandboxedSync(probe, 10_000);
    checked = result.status === 0 ? 'ok' : (result.error?.message ?? result.stderr.trim()) || `exit ${result.status}`;
  }
  if (checked !== 'ok') {
    throw new SandboxError(`the compiler and emulator sandbox (bubblewrap) cannot run: ${checked}; install bubblewrap (scripts/install-system-packages.sh) and allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)`);
  }
}
