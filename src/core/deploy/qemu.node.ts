// Starts a virtual board on QEMU inside the sandbox (sandbox.node.ts: no network, only its temporary folder,
// resource limits; no semihosting, so the firmware reaches nothing of the host): the board's machine
// (qemu-machine.ts) with the firmware, its UART on a Unix socket in that folder (wait=on so nothing is lost
// before we connect), the exit channel the machine declares, `-icount shift=0` so the firmware's counter
// (SysTick, minstret) counts instructions deterministically, and optionally the instruction-count plugin
// for exact counts (a TCG plugin, the same for every guest architecture).
import { spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MoteError } from '../base/errors';
import { cleanUpOnExit } from '../base/exit-cleanup.node';
import { connectUnixSocket } from '../evaluation/transport-tcp.node';
import type { ByteTransport } from '../evaluation/transport';
import { functionAddress, parseElf } from './elf';
import { mps2An386, type QemuMachine } from './qemu-machine';
import { assertSandboxAvailable, handOverToSandbox, sandboxCommand, spawnSandboxed, SANDBOX_DIR, type SandboxLimits } from './sandbox.node';

/** The VirtualCortexM4 board's emulator program (kept for callers that name it in messages). */
export const QEMU_PROGRAM = mps2An386.program;
export const PLUGIN_SOURCE = new URL('../../../tools/qemu/insncount.c', import.meta.url).pathname;

/** The emulator failed to start or stopped unexpectedly. */
export class EmulatorError extends MoteError {}

export interface VirtualBoard {
  transport: ByteTransport & { readonly isClosed: boolean };
  /** Exact instructions per inference from the plugin, in execution order (empty without the plugin). */
  instructionCounts(): Promise<number[]>;
  /**
   * Estimated cycles per inference (a machine with a cycle model: the Cortex-M4 table of
   * bench/cortex-m4-cycles.md), in execution order; empty without one. Throws when an instruction the
   * table does not classify ran: the estimate would be wrong.
   */
  cycleEstimates(): Promise<number[]>;
  /** Every distinct instruction executed up to the last inference's end, as classified (with `classifiedInstructions`). */
  executedInstructions(): Promise<ExecutedInstruction[]>;
  /** Stops QEMU and removes its temporary files. */
  stop(): Promise<void>;
  /** Resolves with the firmware's board_exit code (or QEMU's exit code) when it ends by itself or is stopped. */
  exited: Promise<number | null>;
  /** What QEMU printed on stderr so far (for error messages). */
  stderr(): string;
}

export interface ExecutedInstruction {
  address: number;
  /** The instruction's halfwords as one number: (first << 16 | second) for a 32-bit Thumb instruction. */
  encoding: number;
  /** The plugin's class (the row of the cycle table). */
  cls: string;
}

export interface StartVirtualBoardOptions {
  /** Build and load tools/qemu/insncount.c to count instructions exactly between the inference markers. */
  exactInstructions?: boolean;
  /** Where the compiled plugin is cached (default .cache/qemu under the working directory). */
  cacheDir?: string;
  connectTimeoutMs?: number;
  /** With exactInstructions on a machine with a cycle model: record each executed instruction's class, for executedInstructions(). */
  classifiedInstructions?: boolean;
  /** Tighter sandbox limits than EMULATOR_LIMITS (the hosted service bounds a board's CPU time). */
  limits?: Partial<SandboxLimits>;
}

/** Compiles the instruction-count plugin with the host gcc once per source version; returns the .so path. */
export function ensureInsnCountPlugin(cacheDir = join(process.cwd(), '.cache', 'qemu')): string {
  const source = readFileSync(PLUGIN_SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const library = join(cacheDir, `libinsncount-${hash}.so`);
  if (existsSync(library)) return library;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${library}.${process.pid}.tmp`;
  const gcc = spawnSync('gcc', ['-O2', '-shared', '-fPIC', '-o', partial, PLUGIN_SOURCE], { encoding: 'utf8' });
  if (gcc.status !== 0) {
    throw new EmulatorError(`could not build the QEMU instruction-count plugin (${PLUGIN_SOURCE}) with gcc: ${(gcc.stderr || gcc.error?.message || '').trim()}; install gcc or run without exact instruction counts`);
  }
  renameSync(partial, library);
  return library;
}

/** The VirtualCortexM4 board: mps2-an386. */
export function startVirtualCortexM4(elf: Uint8Array, options: StartVirtualBoardOptions = {}): Promise<VirtualBoard> {
  return startQemuBoard(mps2An386, elf, options);
}

/** Limits of the emulator's sandbox; a board that outlives its CPU budget is killed by the kernel. */
export const EMULATOR_LIMITS: SandboxLimits = {
  cpuSeconds: 60 * 60,
  // TCG reserves a large code buffer up front; 2 GiB of address space is ample for these small machines.
  memoryBytes: 2 * 1024 * 1024 * 1024,
  fileBytes: 64 * 1024 * 1024,
  processes: 64,
};

const EXIT_MARKER = /mote-exit (\d{1,10})\n/;

export async function startQemuBoard(machine: QemuMachine, elf: Uint8Array, options: StartVirtualBoardOptions = {}): Promise<VirtualBoard> {
  assertSandboxAvailable();
  const dir = await mkdtemp(join(tmpdir(), 'mote-qemu-'));
  // Paths as the sandboxed QEMU sees them: the temporary folder is its only visible, writable folder.
  const inside = (name: string) => `${SANDBOX_DIR}/${name}`;
  const countsPath = join(dir, 'instructions.txt');
  const classesPath = join(dir, 'classes.txt');
  // With exact counts, a machine with a cycle model also gets the estimate.
  const cycles = options.exactInstructions && machine.cycleModel !== undefined;
  await writeFile(join(dir, 'firmware.elf'), elf);
  handOverToSandbox(dir);
  const args = [...machine.args, '-nographic', '-monitor', 'none', '-icount', 'shift=0',
    '-serial', `unix:${inside('uart.sock')},server=on,wait=on`,
    ...(machine.exitChannel === 'exit-uart' ? ['-serial', 'stdio'] : []),
    '-kernel', inside('firmware.elf')];
  if (options.exactInstructions) {
    const parsed = parseElf(elf);
    const begin = functionAddress(parsed, 'mote_mark_begin');
    const end = functionAddress(parsed, 'mote_mark_end');
    const plugin = ensureInsnCountPlugin(options.cacheDir);
    // A copy inside the board's folder: the sandbox (nobody, when we are root) may not reach the cache.
    await copyFile(plugin, join(dir, 'insncount.so'));
    const cycleArgs = cycles ? `,cycles=${machine.cycleModel}${options.classifiedInstructions ? `,classes=${inside('classes.txt')}` : ''}` : '';
    args.push('-plugin', `${inside('insncount.so')},begin=0x${begin.toString(16)},end=0x${end.toString(16)},out=${inside('instructions.txt')}${cycleArgs}`);
  }
  const sandboxed = sandboxCommand(machine.program, args, { workDir: dir, limits: { ...EMULATOR_LIMITS, ...options.limits } });
  let stderr = '';
  let exitUart = '';
  let reportedExit: number | undefined;
  let child: ChildProcess;
  try {
    child = spawnSandboxed(sandboxed, ['ignore', 'pipe', 'pipe']);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new EmulatorError(`could not start ${machine.program}: ${(error as Error).message}; ${machine.installHint}`);
  }
  // Should this process end first (a signal, an error), the sandbox dies with bwrap and the folder goes.
  const forget = cleanUpOnExit(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  child.stderr?.on('data', (chunk: Buffer) => { if (stderr.length < 16384) stderr += chunk.toString('utf8'); });
  // The exit UART: the firmware's only other way out. Bounded, and only the marker means anything.
  child.stdout?.on('data', (chunk: Buffer) => {
    exitUart = (exitUart + chunk.toString('latin1')).slice(-256);
    const marker = EXIT_MARKER.exec(exitUart);
    if (marker && reportedExit === undefined) {
      reportedExit = Number(marker[1]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', (error) => { stderr += `\n${error.message}`; resolve(null); });
    child.on('exit', (code) => resolve(reportedExit ?? code));
  });
  let stopping: Promise<void> | undefined;
  let finalLines: string[] | undefined;
  let finalClasses: string | undefined;
  const readLines = async () => (await readFile(countsPath, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  const lines = async () => finalLines ?? readLines();
  const readClasses = async () => readFile(classesPath, 'utf8').catch(() => '');
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
      if (options.exactInstructions) finalLines = await readLines();
      if (options.classifiedInstructions) finalClasses = await readClasses();
      await rm(dir, { recursive: true, force: true });
      forget();
    })();
    return stopping;
  };
  const abort = new AbortController();
  exited.then(() => abort.abort());
  let transport;
  try {
    transport = await connectUnixSocket(join(dir, 'uart.sock'), { timeoutMs: options.connectTimeoutMs ?? 10_000, signal: abort.signal });
  } catch (error) {
    await stop();
    throw new EmulatorError(`${machine.program} did not open its serial port: ${(error as Error).message}${stderr ? `\nQEMU said: ${stderr.trim()}` : ''}; is it installed? ${machine.installHint}`);
  }
  return {
    transport,
    exited,
    stop,
    stderr: () => stderr,
    async instructionCounts() {
      if (!options.exactInstructions) return [];
      return (await lines()).filter((line) => !line.startsWith('error')).map((line) => Number(line.split(' ')[0]));
    },
    async cycleEstimates() {
      if (!cycles) return [];
      const all = await lines();
      const unknown = all.filter((line) => line.startsWith('error'));
      if (unknown.length) {
        const [, address, encoding] = unknown[0].split(' ');
        throw new EmulatorError(`the ${machine.cycleModel} cycle table does not classify the instruction executed at ${address} (encoding ${encoding})${unknown.length > 1 ? ` nor ${unknown.length - 1} more` : ''}; no cycle estimate: add its class to tools/qemu/insncount.c and bench/cortex-m4-cycles.md`);
      }
      return all.map((line) => Number(line.split(' ')[1]));
    },
    async executedInstructions() {
      if (!options.classifiedInstructions) return [];
      const text = finalClasses ?? (await readClasses());
      return text.split('\n').filter(Boolean).map((line) => {
        const [address, encoding, cls] = line.split(' ');
        return { address: Number(address), encoding: Number(encoding), cls };
      });
    },
  };
}
