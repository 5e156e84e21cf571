// Node side of the Linux target: compiles the generated sources with the host C compiler and evaluates
// the binary over a test set against the TypeScript reference (integer-exact for int8/int16, the float
// reference for float32).

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MoteError } from '../../base/errors';
import type { CodegenModel } from '../../codegen/types';
import { forwardFloat } from '../../models/reference-float';
import { sizeOf } from '../../models/shapes';
import { quantizeInput, runIntReference } from '../../quantization/reference-int';
import type { LongWidth } from '../../layers/shared/fixed-point';

export class HostBuildError extends MoteError {}

export const HOST_CFLAGS = ['-O2', '-std=c99', '-Wall', '-Werror'];
export const SANITIZER_CFLAGS = ['-fsanitize=undefined,address', '-fno-sanitize-recover=all', '-g'];

function run(program: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(program, args, { cwd: options.cwd, timeout: options.timeoutMs ?? 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, LANG: 'C' } }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
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

export interface TestVectors {
  /** `count` samples back to back, channels_last. */
  x: Float32Array | Uint8Array;
  labels: Int32Array;
  count: number;
}

/** Raw bytes of the test vectors in the model's number format (the ABI's host-side conversion). */
export function encodeInputs(model: CodegenModel, test: TestVectors, inputSize: number): Uint8Array {
  if (model.format === 'float32') {
    const data = test.x instanceof Float32Array ? test.x.slice(0, test.count * inputSize) : Float32Array.from(test.x.subarray(0, test.count * inputSize));
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  const raw = quantizeInput(model.quantized, test.x.subarray(0, test.count * inputSize));
  const typed = model.format === 'int8' ? Int8Array.from(raw) : Int16Array.from(raw);
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

export function decodeOutputs(model: CodegenModel, bytes: Uint8Array): Int32Array | Float32Array {
  const copy = bytes.slice();
  if (model.format === 'float32') return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  if (model.format === 'int16') return Int32Array.from(new Int16Array(copy.buffer, 0, copy.byteLength / 2));
  return Int32Array.from(new Int8Array(copy.buffer));
}

/** The TypeScript reference's outputs for the test vectors (raw integers, or floats). */
export function referenceOutputs(model: CodegenModel, test: TestVectors, options: { longWidth?: LongWidth } = {}): Int32Array | Float32Array {
  if (model.format === 'float32') {
    const graph = model.graph;
    const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
    const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
    const out = new Float32Array(test.count * outputSize);
    for (let start = 0; start < test.count; start += 256) {
      const batch = Math.min(256, test.count - start);
      const slice = test.x.subarray(start * inputSize, (start + batch) * inputSize);
      const { output } = forwardFloat(graph, { data: slice instanceof Float32Array ? slice : Float32Array.from(slice), batch });
      out.set(output, start * outputSize);
    }
    return out;
  }
  const q = model.quantized;
  const inputSize = sizeOf(q.graph.shapes[q.graph.layers[0].name]);
  const outputSize = sizeOf(q.graph.shapes[q.graph.layers[q.graph.layers.length - 1].name]);
  const out = new Int32Array(test.count * outputSize);
  for (let i = 0; i < test.count; i++) {
    const raw = quantizeInput(q, test.x.subarray(i * inputSize, (i + 1) * inputSize));
    out.set(runIntReference(q, raw, { longWidth: options.longWidth }), i * outputSize);
  }
  return out;
}

function argmax(values: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[start + j] > values[start + best]) best = j;
  return best;
}

export interface LinuxEvaluation {
  n: number;
  accuracy: number;
  reference_accuracy: number;
  /** int8/int16: share of vectors whose raw outputs equal the reference's; float32: share with the same class. */
  agreement: number;
  /** int8/int16: every raw output equal; null for float32. */
  bit_exact: boolean | null;
  /** float32: largest |target − reference| / max|reference| over a vector's outputs; null for fixed point. */
  max_rel_diff: number | null;
  /** Index of the first vector that differs, for debugging; null when none. */
  first_mismatch: number | null;
  rom_bytes: number;
  ram_bytes: number;
  macs: number;
}

/** Compares target outputs with reference outputs (both flat, `outputSize` values per vector). */
export function compareOutputs(format: CodegenModel['format'], target: ArrayLike<number>, reference: ArrayLike<number>, labels: Int32Array, count: number, outputSize: number) {
  let agree = 0;
  let correct = 0;
  let referenceCorrect = 0;
  let maxRel = 0;
  let firstMismatch: number | null = null;
  for (let i = 0; i < count; i++) {
    const base = i * outputSize;
    const predicted = argmax(target, base, outputSize);
    const expected = argmax(reference, base, outputSize);
    if (predicted === labels[i]) correct++;
    if (expected === labels[i]) referenceCorrect++;
    let same: boolean;
    if (format === 'float32') {
      same = predicted === expected;
      let scale = 0;
      for (let j = 0; j < outputSize; j++) scale = Math.max(scale, Math.abs(reference[base + j]));
      for (let j = 0; j < outputSize; j++) maxRel = Math.max(maxRel, Math.abs(target[base + j] - reference[base + j]) / Math.max(scale, 1e-30));
    } else {
      same = true;
      for (let j = 0; j < outputSize; j++) if (target[base + j] !== reference[base + j]) { same = false; break; }
    }
    if (same) agree++;
    else if (firstMismatch === null) firstMismatch = i;
  }
  return {
    n: count,
    accuracy: count ? correct / count : 0,
    reference_accuracy: count ? referenceCorrect / count : 0,
    agreement: count ? agree / count : 0,
    bit_exact: format === 'float32' ? null : agree === count,
    max_rel_diff: format === 'float32' ? maxRel : null,
    first_mismatch: firstMismatch,
  };
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
