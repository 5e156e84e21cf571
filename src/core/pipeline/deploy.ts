// The parts of prepare_deploy / deploy_and_evaluate that run anywhere (CLI, app, workers): which models ×
// formats × dialects to generate, what prepare_deploy writes for each — the generated C in Qualia's
// `out/qualia_codegen/` layout (converter QualiaCodeGen, the generated-C route) or the model blob in the
// board's out/deploy/<Target>/<tag>/ folder (converter MoteRuntime, the runtime route) — the test vectors
// a target receives, and the reference outputs it must reproduce. Building and running firmware is
// target-specific (deploy.node.ts in Node, the board worker in the browser).

import { crc32 } from '../base/crc32';
import type { Experiment } from '../config/experiment';
import { parseOrThrow } from '../base/schema';
import { augmentationHook, prepareAugmentations } from '../augmentation/pipeline';
import { codegenOptions, qualiaCodeGen, type QualiaCodeGenParams } from '../codegen/qualia-codegen';
import { MODEL_BLOB_FILE, moteRuntime, runtimeLongWidth, type MoteRuntimeParams } from '../codegen/mote-runtime';
import { converterKinds } from '../codegen/registry';
import { encodeModelBlob } from '../runtime/blob';
import { countMacs } from '../models/shapes';
import { generateC } from '../codegen/emit';
import type { CodegenModel, CodegenOptions, CodegenReport, NumberFormat } from '../codegen/types';
import type { DataBundle } from '../data/bundle';
import { boardOutdir, type BoardKind } from '../deploy/board';
import { allBoards, targetKinds } from '../deploy/registry';
import { prepareLinux } from '../deploy/targets/linux';
import { ConfigError, UnsupportedError } from '../base/errors';
import type { RawVector } from '../evaluation/protocol-v1';
import { forwardFloat } from '../models/reference-float';
import { sizeOf } from '../models/shapes';
import { codegenModelFor } from '../codegen/model-for-format';
import { quantizeInput, runIntReference } from '../quantization/reference-int';
import { createRng } from '../base/rng';
import { enabledModels, runIndices } from './context';
import { loadFinalModel } from './final-model';
import { codegenDirName, deployTag } from '../base/naming';
import { putDeployResult, sameDeployRow, type BenchResults, type DeployResult } from '../experiments/results';
import type { Workspace } from '../base/workspace';

export const NUMBER_FORMATS: readonly NumberFormat[] = ['float32', 'int16', 'int8'];

export function deploySection(experiment: Experiment): NonNullable<Experiment['deploy']> {
  if (!experiment.deploy) throw new ConfigError('this experiment has no [deploy] table; add target, converter.kind = "QualiaCodeGen" and quantize');
  if (!Object.hasOwn(converterKinds, experiment.deploy.converter.kind)) {
    throw new UnsupportedError(`deploy.converter.kind '${experiment.deploy.converter.kind}' is not supported by Mote; supported: ${Object.keys(converterKinds).join(', ')}`);
  }
  return experiment.deploy;
}

/**
 * How a model reaches the board: 'generated-c' — C from QualiaCodeGen, built into firmware; 'runtime' — a
 * model blob from MoteRuntime, run by the board's prebuilt Mote Runtime image (BoardKind.runtime).
 */
export type DeployRoute = 'generated-c' | 'runtime';

export function deployRoute(experiment: Experiment): DeployRoute {
  return deploySection(experiment).converter.kind === moteRuntime.kind ? 'runtime' : 'generated-c';
}

/** The sentence for a board that has no Mote Runtime image, naming the way that works instead. */
export function noRuntimeMessage(board: BoardKind, boards: readonly BoardKind[]): string {
  const withRuntime = boards.filter((b) => b.runtime).map((b) => b.kind);
  return `target ${board.kind} (${board.title}) has no Mote Runtime image, so converter MoteRuntime cannot deploy to it: use converter.kind = "QualiaCodeGen" (generated C) with target ${board.kind}${withRuntime.length ? `, or a target that runs the Mote Runtime (${withRuntime.join(', ')})` : ''}`;
}

function numberFormat(quantize: string): NumberFormat {
  if (!(NUMBER_FORMATS as readonly string[]).includes(quantize)) {
    throw new UnsupportedError(`deploy.quantize '${quantize}' is not supported by QualiaCodeGen; use one of ${NUMBER_FORMATS.join(', ')}`);
  }
  return quantize as NumberFormat;
}

/** One unit of deploy work: the final model of one run, in one number format and dialect. */
export type DeployJob = DeployJobBase & (
  | { route: 'generated-c'; converter: QualiaCodeGenParams }
  | { route: 'runtime'; converter: MoteRuntimeParams }
);

interface DeployJobBase {
  iteration: number;
  /** The [[model]] it came from. */
  configModel: string;
  /** Name after [[postprocessing]] renames. */
  name: string;
  quantize: NumberFormat;
  optimize: string;
  /** Generated sources (generated-c) or the model blob's folder (runtime), relative to the workspace. */
  dir: string;
  codegen: CodegenModel;
  /** Generator options; on the runtime route the blob's (long width, the board image's dialect). */
  options: CodegenOptions;
}

/** Every run × enabled model × deploy.quantize × deploy.optimize, with its trained final model loaded. */
export async function* deployJobs(experiment: Experiment, workspace: Workspace, results: BenchResults): AsyncGenerator<DeployJob> {
  const deploy = deploySection(experiment);
  const route = deployRoute(experiment);
  const converter = route === 'generated-c' ? parseOrThrow(qualiaCodeGen.params, deploy.converter.params, 'deploy.converter.params') : undefined;
  const runtime = route === 'runtime' ? parseOrThrow(moteRuntime.params, deploy.converter.params, 'deploy.converter.params') : undefined;
  const board = (targetKinds as Record<string, BoardKind>)[deploy.target] as BoardKind | undefined;
  // The blob goes where the board's firmware would: out/deploy/<Target>/<tag>/ (or the converter's outdir).
  const blobRoot = runtime?.outdir?.replace(/\/+$/, '') ?? (board ? boardOutdir(board, deploy.deployer.params) : `out/deploy/${deploy.target}`);
  for (const iteration of runIndices(experiment)) {
    for (const model of enabledModels(experiment)) {
      const record = results.runs.find((r) => r.iteration === iteration && (r.config_model ?? r.model) === model.name);
      if (!record) throw new ConfigError(`model '${model.name}' run ${iteration} has not been trained in bench '${experiment.bench.name}' (logs/${experiment.bench.name}/results.json has no record of it). Run 'train' first.`);
      const { graph, quantization } = await loadFinalModel(workspace, record.model, iteration);
      for (const quantize of deploy.quantize.map(numberFormat)) {
        for (const optimize of deploy.optimize) {
          const codegen = codegenModelFor(quantize, graph, quantization, record.model);
          const base = { iteration, configModel: model.name, name: record.model, quantize, optimize, codegen };
          if (runtime) {
            const dir = `${blobRoot}/${deployTag(record.model, quantize, optimize, 1, iteration)}`;
            yield { ...base, route: 'runtime', dir, options: { longWidth: runtimeLongWidth(runtime), dialect: board?.runtime?.dialect ?? 'c99' }, converter: runtime };
          } else {
            const dir = `${converter!.outdir.replace(/\/+$/, '')}/${codegenDirName(record.model, iteration, quantize)}${optimize ? `_o${optimize}` : ''}`;
            yield { ...base, route: 'generated-c', dir, options: codegenOptions(converter!, optimize), converter: converter! };
          }
        }
      }
    }
  }
}

export type GeneratedModel = DeployJob & {
  files: string[];
  report: Pick<CodegenReport, 'arenaBytes' | 'weightBytes' | 'macs'>;
};

/** The model blob of a runtime-route job, as the board's runtime image reads it. */
export function modelBlobOf(job: DeployJob): { bytes: Uint8Array; report: { arenaBytes: number; weightBytes: number; macs: number } } {
  const model = runtimeModelOf(job);
  const { bytes, report } = encodeModelBlob(model.quantized, { dialect: job.options.dialect, longWidth: job.options.longWidth, name: `${job.name}_r${job.iteration}_q${job.quantize}` });
  return { bytes, report: { arenaBytes: report.arenaBytes, weightBytes: report.weightBytes, macs: countMacs(model.quantized.graph) } };
}

/** The job's fixed-point model, or the sentence saying why the runtime route cannot take it. */
export function runtimeModelOf(job: DeployJob): CodegenModel & { format: 'int8' | 'int16' } {
  if (job.codegen.format === 'float32') {
    throw new UnsupportedError(`the Mote Runtime runs int8 and int16 models only, and ${job.name} is float32 here: use quantize = ["int8"] or ["int16"] with converter MoteRuntime, or converter.kind = "QualiaCodeGen" (generated C) for float32`);
  }
  if (job.optimize) {
    throw new UnsupportedError(`deploy.optimize '${job.optimize}' selects generated C variants; with converter MoteRuntime the kernels are the board's runtime image's own, so use optimize = [""] (or converter.kind = "QualiaCodeGen" for optimize '${job.optimize}')`);
  }
  return job.codegen;
}

/** prepare_deploy: writes the C (or the model blob) of every deploy job (plus the host harness for a host build) and records its MACs. */
export async function generateSources(experiment: Experiment, workspace: Workspace, results: BenchResults, log: (line: string) => void = () => {}): Promise<GeneratedModel[]> {
  const target = deploySection(experiment).target;
  // An unknown target is refused by deploy_and_evaluate; its C can still be generated and read.
  const board = (targetKinds as Record<string, BoardKind>)[target] as BoardKind | undefined;
  const generated: GeneratedModel[] = [];
  for await (const job of deployJobs(experiment, workspace, results)) {
    if (job.route === 'runtime') {
      if (board && !board.runtime) throw new UnsupportedError(noRuntimeMessage(board, allBoards()));
      const blob = modelBlobOf(job);
      await workspace.writeFile(`${job.dir}/${MODEL_BLOB_FILE}`, blob.bytes);
      log(`${job.dir}/${MODEL_BLOB_FILE}: model blob of ${blob.bytes.length} B (arena ${blob.report.arenaBytes} B, weights ${blob.report.weightBytes} B, ${blob.report.macs} MACs, ${job.options.dialect} layout) for ${target}`);
      recordPrepared(results, target, job, blob.report.macs);
      generated.push({ ...job, files: [MODEL_BLOB_FILE], report: blob.report });
      continue;
    }
    let files: Record<string, string>;
    let report: CodegenReport;
    if (job.optimize && board && !board.acceptsOptimize) {
      const others = allBoards().filter((b) => b.acceptsOptimize && b.build.kind === 'firmware').map((b) => b.kind);
      throw new UnsupportedError(`deploy.optimize '${job.optimize}' targets Cortex-M DSP instructions and cannot run on target ${board.kind}; use optimize = [''] with target ${board.kind}, or a board target (${others.join(', ')})`);
    }
    if (board?.build.kind === 'host') {
      ({ files, report } = await prepareLinux(workspace, { model: job.codegen, name: job.name, iteration: job.iteration, codegen: job.options, outdir: job.converter.outdir, dir: job.dir }));
    } else {
      ({ files, report } = generateC(job.codegen, { ...job.options, displayName: `${job.name}_r${job.iteration}_q${job.quantize}` }));
      for (const [file, text] of Object.entries(files)) await workspace.writeFile(`${job.dir}/${file}`, text);
    }
    log(`${job.dir}/: ${Object.keys(files).join(', ')} (arena ${report.arenaBytes} B, weights ${report.weightBytes} B, ${report.macs} MACs) for ${target}`);
    recordPrepared(results, target, job, report.macs);
    generated.push({ ...job, files: Object.keys(files), report });
  }
  return generated;
}

function recordPrepared(results: BenchResults, target: string, job: DeployJob, macs: number): void {
  const record = results.runs.find((r) => r.model === job.name && r.iteration === job.iteration);
  if (record && !record.deploy.some((d) => sameDeployRow(d, { target, quantize: job.quantize, optimize: job.optimize, route: job.route }))) {
    putDeployResult(record, emptyDeployResult(target, job, macs));
  }
}

/** Reads back the model blob prepare_deploy wrote for a runtime-route job. */
export async function readModelBlob(workspace: Workspace, dir: string): Promise<Uint8Array> {
  const path = `${dir}/${MODEL_BLOB_FILE}`;
  if (!(await workspace.exists(path))) throw new ConfigError(`${path} not found. Did you run 'prepare_deploy' (converter MoteRuntime)?`);
  const bytes = await workspace.readFile(path);
  // The blob ends with the CRC-32 of the rest: a file changed since prepare_deploy wrote it (a bad disk, an
  // interrupted copy, an edit) is refused here, before a board is opened, instead of by the board's runtime.
  if (bytes.length >= 8) {
    const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 4, true);
    const computed = crc32(bytes.subarray(0, bytes.length - 4));
    if (stored !== computed) {
      throw new ConfigError(`${path} is damaged: its contents no longer match its CRC-32 (0x${stored.toString(16).padStart(8, '0')} stored, 0x${computed.toString(16).padStart(8, '0')} computed). Run 'prepare_deploy' again to write it afresh; nothing was sent to the board`);
    }
  }
  return bytes;
}

export function emptyDeployResult(target: string, job: Pick<DeployJob, 'quantize' | 'optimize'> & { route?: DeployRoute }, macs: number | null): DeployResult {
  return {
    target, quantize: job.quantize, optimize: job.optimize, n: null, accuracy: null, reference_accuracy: null, agreement: null,
    bit_exact: null, avg_latency_us: null, instructions_per_inference: null, macs, rom_bytes: null, ram_bytes: null,
    ...(job.route === 'runtime' ? { route: 'runtime' as const } : {}),
  };
}

export interface EvaluationSet {
  /** `count` samples back to back, channels_last, as the model sees them. */
  x: Float32Array;
  labels: Int32Array;
  count: number;
  shape: number[];
}

/**
 * The test vectors a target receives (Qualia's evaluators): the test set after the `evaluate = true`
 * augmentations, optionally shuffled with bench.seed, truncated to deploy.limit.
 */
export function evaluationSet(experiment: Experiment, bundle: DataBundle, options: { shuffle?: boolean } = {}): EvaluationSet {
  const augmentations = prepareAugmentations(experiment.data_augmentation);
  const hook = augmentationHook(augmentations, { classes: bundle.classNames.length, sourceDtype: bundle.test.x instanceof Uint8Array ? 'uint8' : 'float32', phase: 'evaluate' });
  const x = bundle.test.x instanceof Float32Array ? bundle.test.x : Float32Array.from(bundle.test.x);
  const out = hook({ x, shape: bundle.test.shape, labels: bundle.test.labels, count: bundle.test.count }, createRng(experiment.bench.seed).fork('evaluate'));
  const size = sizeOf(out.shape);
  let order = Array.from({ length: out.count }, (_, i) => i);
  if (options.shuffle) createRng(experiment.bench.seed).fork('shuffle').shuffle(order);
  const limit = experiment.deploy?.limit;
  if (limit !== undefined) order = order.slice(0, limit);
  const xs = new Float32Array(order.length * size);
  const labels = new Int32Array(order.length);
  order.forEach((from, i) => { xs.set(out.x.subarray(from * size, (from + 1) * size), i * size); labels[i] = out.labels[from]; });
  return { x: xs, labels, count: order.length, shape: out.shape };
}

export interface BoardVectors {
  /** Inputs in the model's number format (protocol v1 payloads). */
  vectors: RawVector[];
  /** The same inputs as floats (Qualia's text protocol; the board quantizes them). */
  floatVectors: Float32Array[];
  /** Reference outputs, `count × outputSize`: raw integers, or floats for float32. */
  reference: Int32Array | Float32Array;
  outputSize: number;
}

/** Board inputs for a generated model and the outputs Mote's TypeScript reference computes for them. */
export function boardVectors(codegen: CodegenModel, test: EvaluationSet, longWidth: CodegenOptions['longWidth']): BoardVectors {
  const graph = codegen.format === 'float32' ? codegen.graph : codegen.quantized.graph;
  const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
  const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
  const vectors: RawVector[] = [];
  const floatVectors: Float32Array[] = [];
  const reference = codegen.format === 'float32' ? new Float32Array(test.count * outputSize) : new Int32Array(test.count * outputSize);
  for (let i = 0; i < test.count; i++) {
    const x = test.x.slice(i * inputSize, (i + 1) * inputSize);
    floatVectors.push(x);
    if (codegen.format === 'float32') {
      vectors.push(x);
      reference.set(forwardFloat(codegen.graph, { data: x, batch: 1 }).output, i * outputSize);
    } else {
      const raw = quantizeInput(codegen.quantized, x);
      vectors.push(codegen.format === 'int8' ? Int8Array.from(raw) : Int16Array.from(raw));
      reference.set(runIntReference(codegen.quantized, raw, { longWidth }), i * outputSize);
    }
  }
  return { vectors, floatVectors, reference, outputSize };
}

/** Reads back the generated model sources a firmware build needs. */
export async function readModelFiles(workspace: Workspace, dir: string): Promise<Record<string, string>> {
  if (!(await workspace.exists(`${dir}/model.c`))) throw new ConfigError(`${dir}/model.c not found. Did you run 'prepare_deploy'?`);
  const files: Record<string, string> = {};
  for (const file of ['model.h', 'model.c', 'model_weights.h']) {
    if (await workspace.exists(`${dir}/${file}`)) files[file] = await workspace.readText(`${dir}/${file}`);
  }
  return files;
}

/** results.json's row from a protocol-v1 board report: agreement means raw-exact outputs for fixed point. */
export function boardDeployResult(
  target: string, job: Pick<DeployJob, 'quantize' | 'optimize'>, macs: number,
  report: { n: number; accuracy?: number; reference_accuracy?: number; agreement: number; bit_exact: boolean; rows: { bitExact: boolean }[]; avg_latency_us?: number; instructions_per_inference?: number; cycles_per_inference?: number },
  extra: { instructions_per_inference?: number; estimated_cycles_per_inference?: number; rom_bytes?: number; ram_bytes?: number; latencyFromBoardClock?: boolean } = {},
): DeployResult {
  const exactShare = report.rows.length ? report.rows.filter((r) => r.bitExact).length / report.rows.length : null;
  return {
    target, quantize: job.quantize, optimize: job.optimize,
    n: report.n,
    accuracy: report.accuracy ?? null,
    reference_accuracy: report.reference_accuracy ?? null,
    agreement: job.quantize === 'float32' ? report.agreement : exactShare,
    bit_exact: job.quantize === 'float32' ? null : report.bit_exact,
    avg_latency_us: extra.latencyFromBoardClock ? report.avg_latency_us ?? null : null,
    instructions_per_inference: extra.instructions_per_inference ?? report.instructions_per_inference ?? null,
    ...(extra.estimated_cycles_per_inference !== undefined ? { estimated_cycles_per_inference: extra.estimated_cycles_per_inference } : {}),
    ...(report.cycles_per_inference !== undefined ? { cycles_per_inference: report.cycles_per_inference } : {}),
    macs,
    rom_bytes: extra.rom_bytes ?? null,
    ram_bytes: extra.ram_bytes ?? null,
  };
}

export function formatDeployResult(row: DeployResult): string {
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(2)}%`);
  const parts = [
    `accuracy ${pct(row.accuracy)} (reference ${pct(row.reference_accuracy)})`,
    `agreement ${pct(row.agreement)}${row.bit_exact === null ? '' : row.bit_exact ? ', bit-exact' : ', NOT bit-exact'}`,
  ];
  if (row.instructions_per_inference !== null) parts.push(`${Math.round(row.instructions_per_inference)} instructions/inference`);
  if (row.cycles_per_inference != null) parts.push(`${Math.round(row.cycles_per_inference)} cycles/inference (board counter)`);
  if (row.estimated_cycles_per_inference != null) parts.push(`≈ ${Math.round(row.estimated_cycles_per_inference)} cycles/inference (Cortex-M4 estimate)`);
  if (row.avg_latency_us !== null) parts.push(`${row.avg_latency_us.toFixed(1)} µs/inference`);
  if (row.rom_bytes !== null) parts.push(`ROM ${row.rom_bytes} B, RAM ${row.ram_bytes} B`);
  if (row.route === 'runtime') parts.push(`runtime route: blob ${row.blob_bytes ?? '—'} B, CRC ${row.model_crc ?? '—'}`);
  return `  ${row.n} vectors: ${parts.join('; ')}`;
}
