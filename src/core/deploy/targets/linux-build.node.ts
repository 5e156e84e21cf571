// Node side of the Linux target: compiles the generated sources with the host C compiler and evaluates
// the binary over a test set against the TypeScript reference (integer-exact for int8/int16, the float
// reference for float32).

import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MoteError } from '../../base/errors';
import { cleanUpOnExit } from '../../base/exit-cleanup.node';
import type { CodegenModel } from '../../codegen/types';
import { sizeOf } from '../../models/shapes';
import type { LongWidth } from '../../layers/shared/fixed-point';
import { compareOutputs, decodeOutputs, encodeInputs, referenceOutputs, type LinuxEvaluation, type TestVectors } from './linux-compare';

export { compareOutputs, decodeOutputs, encodeInputs, referenceOutputs, type LinuxEvaluation, type TestVectors };

export class HostBuildError extends MoteError {}

export const HOST_CFLAGS = ['-O2', '-std=c99', '-Wall', '-Werror'];
export const SANITIZER_CFLAGS = ['-fsanitize=undefined,address', '-fno-sanitize-recover=all', '-g'];

function run(program: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(program, args, { cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LANG: 'C' } }, (error, stdout, stderr) => {
      forget();
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
    const forget = cleanUpOnExit(() => { child.kill('SIGKILL'); });
  });
}

export interface BuildLinuxOptions {
  /** Build with AddressSanitizer + UndefinedBehaviorSanitizer, aborting on the first report. */
  sanitize?: boolean;
  cc?: string;
  extraFlags?: string[];
  /** Output executable name inside `dir`. */
  output?: string;
}

/** Compiles `model.c` + `harness.c` in `dir` (absolute); returns the executable's path. */
export async function buildLinux(dir: string, options: BuildLinuxOptions = {}): Promise<string> {
  const cc = options.cc ?? process.env.CC ?? 'cc';
  const exe = join(dir, options.output ?? (options.sanitize ? 'harness-sanitized' : 'harness'));
  const args = [...HOST_CFLAGS, ...(options.sanitize ? SANITIZER_CFLAGS : []), ...(options.extraFlags ?? []), 'model.c', 'harness.c', '-o', exe, '-lm'];
  try {
    await run(cc, args, { cwd: dir });
  } catch (error) {
    const e = error as Error & { stderr?: string; code?: unknown };
    if (e.code === 'ENOENT') throw new HostBuildError(`the C compiler '${cc}' was not found; install gcc (apt-get install gcc) or set CC`);
    throw new HostBuildError(`compiling the generated model in ${dir} failed (${cc} ${args.join(' ')}):\n${(e.stderr ?? e.message).trim().split('\n').slice(0, 40).join('\n')}`);
  }
  return exe;
}

/** Runs the harness over raw input bytes and returns the raw output bytes. */
export async function runLinuxHarness(exe: string, inputs: Uint8Array): Promise<Uint8Array> {
  const work = await mkdtemp(join(tmpdir(), 'mote-linux-'));
  const forget = cleanUpOnExit(() => rmSync(work, { recursive: true, force: true }));
  try {
    const inPath = join(work, 'inputs.bin');
    const outPath = join(work, 'outputs.bin');
    await writeFile(inPath, inputs);
    try {
      await run(exe, [inPath, outPath], { timeoutMs: 600_000 });
    } catch (error) {
      const e = error as Error & { stderr?: string };
      throw new HostBuildError(`the generated model failed while running (${exe}):\n${(e.stderr ?? e.message).trim().split('\n').slice(0, 40).join('\n')}`);
    }
    return new Uint8Array(await readFile(outPath));
  } finally {
    await rm(work, { recursive: true, force: true });
    forget();
  }
}

/** Model-only ROM/RAM of `model.c` compiled for this host: code + const data, and static data (arena). */
export async function hostModelSize(dir: string, cc = process.env.CC ?? 'cc'): Promise<{ rom: number; ram: number }> {
  const object = join(dir, 'model.o');
  await run(cc, [...HOST_CFLAGS, '-c', 'model.c', '-o', object], { cwd: dir });
  const { stdout } = await run('size', ['-A', '-d', object]);
  let rom = 0;
  let ram = 0;
  for (const line of stdout.split('\n')) {
    const match = /^(\.\S+)\s+(\d+)/.exec(line.trim());
    if (!match) continue;
    const [, section, bytes] = match;
    const n = Number(bytes);
    if (section === '.text' || section.startsWith('.text.') || section.startsWith('.rodata')) rom += n;
    else if (section === '.data' || section.startsWith('.data.')) { rom += n; ram += n; }
    else if (section === '.bss' || section.startsWith('.bss.')) ram += n;
  }
  return { rom, ram };
}

export interface EvaluateLinuxInput {
  model: CodegenModel;
  /** Absolute folder holding model.c, model.h, model_weights.h and harness.c (from prepareLinux). */
  dir: string;
  test: TestVectors;
  longWidth?: LongWidth;
  /** Evaluate only the first N vectors (Qualia's deploy.limit). */
  limit?: number;
  sanitize?: boolean;
  macs: number;
}

/** Builds the harness, runs it over the test set and compares with the TypeScript reference. */
export async function evaluateLinux(input: EvaluateLinuxInput): Promise<LinuxEvaluation> {
  const { model } = input;
  const graph = model.format === 'float32' ? model.graph : model.quantized.graph;
  const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
  const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
  const count = Math.min(input.test.count, input.limit ?? Infinity);
  const test = { ...input.test, count };
  const exe = await buildLinux(input.dir, { sanitize: input.sanitize });
  const target = decodeOutputs(model, await runLinuxHarness(exe, encodeInputs(model, test, inputSize)));
  if (target.length !== count * outputSize) throw new HostBuildError(`the harness wrote ${target.length} outputs, expected ${count} vectors × ${outputSize}`);
  const reference = referenceOutputs(model, test, { longWidth: input.longWidth });
  const size = await hostModelSize(input.dir);
  return { ...compareOutputs(model.format, target, reference, test.labels, count, outputSize), rom_bytes: size.rom, ram_bytes: size.ram, macs: input.macs };
}
