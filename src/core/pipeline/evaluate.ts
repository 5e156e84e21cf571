// deploy_and_evaluate for one deployed model on one board, wherever Mote runs: on the generated-C route a
// host build (the `process` transport: harness fed a file of raw vectors) or a firmware board (built by a
// toolchain the environment offers, evaluated over a byte stream); on the runtime route the model blob run
// by the board's prebuilt Mote Runtime image (a runtime executor of the environment). Every figure comes
// from the board's declaration (deploy/board.ts); this is the one place that turns an evaluation into a
// results.json row.
import { ConfigError, InputFileError, UnsupportedError } from '../base/errors';
import { deployTag } from '../base/naming';
import type { Workspace } from '../base/workspace';
import type { BoardKind } from '../deploy/board';
import { boardOutdir } from '../deploy/board';
import type { BatchRunner, BoardEnvironment, HostCompiler, ReachedBoard, ReachedRuntime, StreamConnector } from '../deploy/environment';
import { evaluateFirmware } from '../deploy/evaluate-firmware';
import { compareOutputs, decodeOutputs, encodeInputs, referenceOutputs } from '../deploy/targets/linux-compare';
import type { Toolchain } from '../deploy/toolchain';
import { toolchainKinds } from '../deploy/toolchains';
import type { SampleReport } from '../evaluation/evaluator';
import type { DeployResult } from '../experiments/results';
import { countMacs, sizeOf } from '../models/shapes';
import { blobNeeds, runtimeMisfit } from '../deploy/runtime-fit';
import { boardDeployResult, boardVectors, emptyDeployResult, modelBlobOf, readModelBlob, runtimeModelOf, readModelFiles, type DeployJob, type EvaluationSet } from './deploy';

/** MODEL_HASH and MODEL_MACS of the generated model.h (docs/codegen-abi.md): no need to generate the C again. */
export function generatedModelFacts(modelHeader: string, where: string): { hash: number; macs: number } {
  const hash = /#define\s+MODEL_HASH\s+0x([0-9a-fA-F]{1,8})u?/.exec(modelHeader);
  const macs = /#define\s+MODEL_MACS\s+(\d+)u?/.exec(modelHeader);
  if (!hash || !macs) throw new InputFileError(`${where} has no MODEL_HASH or MODEL_MACS define; generate the C again with this version of Mote (prepare_deploy)`);
  return { hash: Number.parseInt(hash[1], 16) >>> 0, macs: Number(macs[1]) };
}

/** The board refused the model before anything was sent (it does not fit); `row` records the refusal. */
export class ModelRefusedError extends ConfigError {
  constructor(message: string, readonly row: DeployResult) { super(message); }
}

export interface JobEvaluation {
  row: DeployResult;
  /** Per-vector report (firmware boards: protocol v1; runtime route: the runtime's outputs), for the app's confusion matrix and per-vector view. */
  report?: SampleReport;
  /** Firmware files written, workspace-relative. */
  firmwareDir?: string;
}

export interface EvaluateJobInput {
  /** The board with its toolchain and transport (generated-C route), or with its runtime executor (runtime route). */
  reached: (ReachedBoard | ReachedRuntime) & { ok: true };
  job: DeployJob;
  test: EvaluationSet;
  workspace: Workspace;
  deployer: Record<string, unknown>;
  evaluator: Record<string, unknown>;
  log: (line: string) => void;
  onBuild?: () => void;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** The environment's connectors, for a runtime executor that reaches its board over a byte stream. */
  transports?: BoardEnvironment['transports'];
}

export async function evaluateJob(input: EvaluateJobInput): Promise<JobEvaluation> {
  const { reached, job } = input;
  if ('executor' in reached || job.route === 'runtime') {
    if (!('executor' in reached) || job.route !== 'runtime') {
      throw new UnsupportedError(`internal: the ${job.route} route's job ${job.dir} was given a board reached for the other route`);
    }
    return evaluateOnRuntime(input, reached, job);
  }
  return reached.board.build.kind === 'host' ? evaluateHostBuild(input) : evaluateFirmwareBoard(input);
}

/** The runtime route: the blob prepare_deploy wrote, run by the board's Mote Runtime image through its executor. */
async function evaluateOnRuntime(input: EvaluateJobInput, reached: ReachedRuntime & { ok: true }, job: DeployJob & { route: 'runtime' }): Promise<JobEvaluation> {
  const { board, executor } = reached;
  const model = runtimeModelOf(job);
  let blob = await readModelBlob(input.workspace, job.dir);
  if (board.runtime && board.runtime.dialect !== job.options.dialect) {
    // A board used instead of deploy.target (the app's fallback) may expect another kernel layout.
    blob = modelBlobOf({ ...job, options: { ...job.options, dialect: board.runtime.dialect } }).bytes;
    input.log(`${job.dir}/: blob written again in ${board.runtime.dialect} layout for ${board.kind} (prepared for the ${job.options.dialect} layout)`);
  }
  // Before the executor opens the board: nothing is sent for a model that cannot fit. Its row says so, with
  // what the model needs (ROM = the blob, RAM = its arena), and no accuracy: a refusal is never a result.
  const misfit = runtimeMisfit(board, blob);
  if (misfit) {
    const needs = blobNeeds(blob);
    throw new ModelRefusedError(misfit, {
      ...emptyDeployResult(board.kind, job, countMacs(model.quantized.graph)), rom_bytes: needs.blobBytes, ram_bytes: needs.arenaBytes,
      blob_bytes: blob.length, refused: misfit,
    });
  }
  const evaluation = await executor.evaluate({
    board, blob, model, test: input.test, longWidth: job.options.longWidth, deployer: input.deployer, evaluator: input.evaluator,
    transports: input.transports ?? {}, log: input.log, onProgress: input.onProgress, signal: input.signal,
  });
  return {
    ...(evaluation.report ? { report: evaluation.report } : {}),
    row: {
      target: board.kind, quantize: job.quantize, optimize: job.optimize, n: evaluation.n,
      accuracy: evaluation.accuracy, reference_accuracy: evaluation.reference_accuracy, agreement: evaluation.agreement,
      bit_exact: evaluation.bit_exact,
      avg_latency_us: board.reports.latency ? evaluation.avg_latency_us ?? null : null,
      instructions_per_inference: evaluation.instructions_per_inference ?? null,
      ...(evaluation.estimated_cycles_per_inference !== undefined ? { estimated_cycles_per_inference: evaluation.estimated_cycles_per_inference } : {}),
      ...(evaluation.cycles_per_inference !== undefined ? { cycles_per_inference: evaluation.cycles_per_inference } : {}),
      macs: evaluation.macs, rom_bytes: evaluation.rom_bytes, ram_bytes: evaluation.ram_bytes,
      route: 'runtime', model_crc: `0x${(evaluation.model_crc >>> 0).toString(16).padStart(8, '0')}`, blob_bytes: blob.length,
    },
  };
}

async function evaluateHostBuild(input: EvaluateJobInput): Promise<JobEvaluation> {
  const { job, test, workspace } = input;
  const reached = input.reached as ReachedBoard & { ok: true };
  const board = reached.board;
  const runner = reached.transport as BatchRunner;
  const compiler = reached.toolchain as HostCompiler;
  if (!workspace.realPath) throw new UnsupportedError(`${board.kind} runs the harness as a process on this computer; this workspace has no folder on disk`);
  const dir = workspace.realPath(job.dir);
  const { macs } = generatedModelFacts(await workspace.readText(`${job.dir}/model.h`), `${job.dir}/model.h`);
  const graph = job.codegen.format === 'float32' ? job.codegen.graph : job.codegen.quantized.graph;
  const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
  const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
  const outputs = decodeOutputs(job.codegen, await runner.run({ dir, compiler, inputs: encodeInputs(job.codegen, test, inputSize), signal: input.signal }));
  if (outputs.length !== test.count * outputSize) throw new UnsupportedError(`the harness wrote ${outputs.length} outputs, expected ${test.count} vectors × ${outputSize}`);
  const reference = referenceOutputs(job.codegen, test, { longWidth: job.options.longWidth });
  const compared = compareOutputs(job.codegen.format, outputs, reference, test.labels, test.count, outputSize);
  const size = board.reports.size === 'host-object' ? await runner.size({ dir, compiler }) : undefined;
  return {
    row: {
      target: board.kind, quantize: job.quantize, optimize: job.optimize, n: compared.n,
      accuracy: compared.accuracy, reference_accuracy: compared.reference_accuracy, agreement: compared.agreement,
      bit_exact: compared.bit_exact, max_rel_diff: compared.max_rel_diff,
      avg_latency_us: null, instructions_per_inference: null,
      macs, rom_bytes: size?.rom ?? null, ram_bytes: size?.ram ?? null, route: 'generated-c',
    },
  };
}

async function evaluateFirmwareBoard(input: EvaluateJobInput): Promise<JobEvaluation> {
  const { job, test, workspace, deployer } = input;
  const reached = input.reached as ReachedBoard & { ok: true };
  const board: BoardKind = reached.board;
  const modelFiles = await readModelFiles(workspace, job.dir);
  const { hash, macs } = generatedModelFacts(modelFiles['model.h'] ?? '', `${job.dir}/model.h`);
  const { vectors, floatVectors, reference, outputSize } = boardVectors(job.codegen, test, job.options.longWidth);
  const result = await evaluateFirmware({
    board, toolchain: reached.toolchain as Toolchain, connector: reached.transport as StreamConnector,
    modelFiles, deployer, evaluator: input.evaluator,
    vectors, floatVectors, labels: test.labels,
    reference: (_vector, i) => reference.subarray(i * outputSize, (i + 1) * outputSize),
    expectedModelHash: hash, signal: input.signal, onBuild: input.onBuild, onProgress: input.onProgress,
  });
  // Qualia's build folder out/deploy/<Target>/<tag>/; the .bin is what a user drags onto a Nucleo's USB drive.
  const firmwareDir = `${boardOutdir(board, deployer)}/${deployTag(job.name, job.quantize, job.optimize, 1, job.iteration)}`;
  for (const [file, bytes] of Object.entries(result.build.files)) await workspace.writeFile(`${firmwareDir}/${file}`, bytes);
  const built = Object.entries(result.build.files).map(([file, bytes]) => `${file} (${bytes.byteLength} bytes)`).join(', ');
  await workspace.writeFile(`${firmwareDir}/build.log`,
    `${toolchainKinds[reached.toolchain.kind].label} for the ${board.title}: ${job.dir}/ → ${built} in ${Math.round(result.build.durationMs)} ms\n${result.build.log || '(no compiler messages)\n'}`);
  input.log(`firmware in ${firmwareDir}/`);
  const size = { rom_bytes: result.size?.rom_bytes, ram_bytes: result.size?.ram_bytes };
  if (size.rom_bytes !== undefined && board.capacity.flashBytes !== null && size.rom_bytes > board.capacity.flashBytes) {
    input.log(`warning: the firmware needs ${size.rom_bytes} B of flash; ${board.kind} has ${board.capacity.flashBytes} B`);
  }
  if (size.ram_bytes !== undefined && board.capacity.ramBytes !== null && size.ram_bytes > board.capacity.ramBytes) {
    input.log(`warning: the firmware needs ${size.ram_bytes} B of RAM; ${board.kind} has ${board.capacity.ramBytes} B`);
  }
  if (result.qualiaReport) {
    // Qualia's text protocol carries predictions and latency, not raw outputs: no bit-exactness to report.
    const q = result.qualiaReport;
    return {
      firmwareDir,
      row: {
        target: board.kind, quantize: job.quantize, optimize: job.optimize, n: q.n, accuracy: q.accuracy, reference_accuracy: null, agreement: null, bit_exact: null,
        avg_latency_us: q.avg_time === undefined ? null : q.avg_time * 1e6, instructions_per_inference: null, macs,
        rom_bytes: size.rom_bytes ?? null, ram_bytes: size.ram_bytes ?? null, route: 'generated-c',
      },
    };
  }
  if (!result.report) throw new UnsupportedError(`${board.kind}: the board returned no evaluation report`);
  return {
    firmwareDir,
    report: result.report,
    row: {
      ...boardDeployResult(board.kind, job, macs, result.report, {
        ...size,
        instructions_per_inference: result.instructions_per_inference,
        estimated_cycles_per_inference: result.estimated_cycles_per_inference,
        latencyFromBoardClock: board.reports.latency,
      }),
      route: 'generated-c',
    },
  };
}
