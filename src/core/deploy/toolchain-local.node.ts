// The local toolchain: writes a build plan into a fresh temporary directory, runs the fixed compiler
// command there inside the sandbox (sandbox.node.ts: no network, read-only system, only that directory
// visible and writable, CPU/memory/file/process limits; own process group, killed whole on timeout or
// cancel), returns the outputs with a compiler log that quotes only the submitted files, and removes the
// directory whatever happens. The hosted service (server/) uses the same runner.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { CancelledError } from '../base/errors';
import { cleanUpOnExit } from '../base/exit-cleanup.node';
import { planFirmwareBuild, type FirmwareBuildPlan } from './firmware-build';
import { assertSandboxAvailable, handOverToSandbox, sandboxCommand, spawnSandboxed } from './sandbox.node';
import { redactForeignDiagnostics } from './compiler-log';
import { ToolchainError, createWasmToolchain, type BuildOutput, type Toolchain } from './toolchain';

export interface RunBuildOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Most bytes of compiler output kept (the rest is dropped), so a flood of errors cannot exhaust memory. */
  maxLogBytes?: number;
  /** Address-space limit for each compiler process (cc1, as, ld); default 2 GiB. */
  memoryLimitBytes?: number;
}

const COMPILER_FILE_BYTES = 64 * 1024 * 1024;
const COMPILER_PROCESSES = 32;

interface ProcessResult { code: number | null; log: string; timedOut: boolean; cancelled: boolean }

function runProcess(tool: string, toolArgs: string[], cwd: string, options: RunBuildOptions): Promise<ProcessResult> {
  const maxLog = options.maxLogBytes ?? 64 * 1024;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const command = sandboxCommand(tool, toolArgs, {
    workDir: cwd,
    limits: { cpuSeconds: timeoutMs / 1000, memoryBytes: options.memoryLimitBytes ?? 2 * 1024 * 1024 * 1024, fileBytes: COMPILER_FILE_BYTES, processes: COMPILER_PROCESSES },
  });
  return new Promise((resolvePromise, reject) => {
    // detached: bwrap and what it runs form one process group we can kill together (and the sandbox
    // dies with bwrap: --die-with-parent).
    const child = spawnSandboxed(command, ['ignore', 'pipe', 'pipe'], { detached: true });
    let log = '';
    const keep = (chunk: Buffer) => { if (log.length < maxLog) log += chunk.toString('utf8').slice(0, maxLog - log.length); };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let timedOut = false;
    let cancelled = false;
    const killGroup = () => { try { if (child.pid) process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ } };
    const forget = cleanUpOnExit(killGroup);
    const timer = setTimeout(() => { timedOut = true; killGroup(); }, timeoutMs);
    const onAbort = () => { cancelled = true; killGroup(); };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      forget();
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(new ToolchainError(`could not run ${tool} in the sandbox (${command.program}): ${error.message}; install it (scripts/install-system-packages.sh) or use the hosted toolchain`, '', { cause: error }));
    });
    child.on('close', (code) => {
      forget();
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolvePromise({ code, log, timedOut, cancelled });
    });
  });
}

/** The cross compilers this runner spawns; the Wasm board's clang runs in-process instead. */
const LOCAL_COMPILERS: readonly FirmwareBuildPlan['compiler'][] = ['arm-none-eabi-gcc', 'riscv64-unknown-elf-gcc'];

/** Runs a plan in a fresh temporary directory and returns its outputs. */
export async function runBuildPlan(plan: FirmwareBuildPlan, options: RunBuildOptions = {}): Promise<BuildOutput> {
  const started = Date.now();
  assertSandboxAvailable();
  const dir = await mkdtemp(join(tmpdir(), 'mote-build-'));
  const forgetDir = cleanUpOnExit(() => rmSync(dir, { recursive: true, force: true }));
  try {
    for (const [path, content] of Object.entries(plan.files)) {
      const target = resolve(dir, path);
      if (!target.startsWith(dir + sep)) throw new ToolchainError(`refusing to write ${path} outside the build directory`);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, content);
    }
    handOverToSandbox(dir);
    if (!LOCAL_COMPILERS.includes(plan.compiler)) throw new ToolchainError(`the local runner builds bare-metal firmware with ${LOCAL_COMPILERS.join(' or ')}; ${plan.board} builds with @yowasp/clang`);
    const program = plan.compiler;
    const compiled = await runProcess(program, plan.args, dir, options);
    const result = { ...compiled, log: redactForeignDiagnostics(compiled.log, Object.keys(plan.files)) };
    if (result.cancelled) throw new CancelledError('the firmware build was cancelled');
    if (result.timedOut) throw new ToolchainError(`the compiler did not finish within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s and was stopped; the model may be too large for this toolchain`, result.log);
    if (result.code !== 0) throw new ToolchainError(`${program} failed (exit ${result.code}) building the ${plan.board} firmware`, result.log);
    const files: Record<string, Uint8Array> = { [plan.output]: new Uint8Array(await readFile(join(dir, plan.output))) };
    if (plan.binary) {
      const objcopy = await runProcess(plan.objcopy ?? 'arm-none-eabi-objcopy', ['-O', 'binary', plan.output, plan.binary], dir, options);
      if (objcopy.code !== 0) throw new ToolchainError(`${plan.objcopy ?? 'arm-none-eabi-objcopy'} could not produce the .bin`, objcopy.log);
      files[plan.binary] = new Uint8Array(await readFile(join(dir, plan.binary)));
    }
    return { files, log: result.log, durationMs: Date.now() - started };
  } finally {
    await rm(dir, { recursive: true, force: true });
    forgetDir();
  }
}

/** arm-none-eabi-gcc / riscv64-unknown-elf-gcc on this machine (wasm builds use @yowasp/clang instead: createWasmToolchain). */
export function createLocalToolchain(options: RunBuildOptions = {}): Toolchain {
  return {
    kind: 'local',
    build: (request, buildOptions) => request.board === 'wasm'
      ? createWasmToolchain().build(request, buildOptions)
      : runBuildPlan(planFirmwareBuild(request), { ...options, signal: buildOptions?.signal ?? options.signal }),
  };
}
