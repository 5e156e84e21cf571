// prepare_deploy and deploy_and_evaluate: for each run × model × deploy.quantize × deploy.optimize, generate
// the C of the final (post-processed) model into Qualia's `out/qualia_codegen/<name>_r<i>_q<format>/`, then
// build and run it on deploy.target and compare every output with Mote's TypeScript reference.

import type { Issue } from '../config/schema';
import type { Experiment } from '../config/experiment';
import { codegenOptions, qualiaCodeGen, type QualiaCodeGenParams } from '../codegen/qualia-codegen';
import { generateC } from '../codegen/emit';
import type { CodegenModel, NumberFormat } from '../codegen/types';
import { augmentationHook, prepareAugmentations } from '../augmentation/pipeline';
import { deployAndEvaluateBoard, type BoardTargetName } from '../deploy/board-runner.node';
import { targetKinds } from '../deploy/registry';
import { evaluateLinux, referenceOutputs } from '../deploy/targets/linux-build.node';
import { prepareLinux } from '../deploy/targets/linux';
import { ConfigError, UnsupportedError } from '../errors';
import type { RawVector } from '../evaluation/protocol-v1';
import { quantizeInput } from '../quantization/reference-int';
import { codegenModelFor } from '../quantization/outcome';
import { createRng } from '../random/rng';
import { sizeOf } from '../models/shapes';
import type { ActionContext } from './context';
import { enabledModels, runIndices } from './context';
import { loadPreprocessed } from './dataset.node';
import { loadFinalModel } from './final-model';
import { codegenDirName, deployTag } from './naming';
import { putDeployResult, runRecord, type DeployResult } from './results';
import { loadResults, saveResults } from './results-store';
import type { Workspace } from './workspace';

const FORMATS: readonly NumberFormat[] = ['float32', 'int16', 'int8'];

function parseWith<T>(schema: { parse(v: unknown, p: string, i: Issue[]): T }, value: unknown, where: string): T {
  const issues: Issue[] = [];
  const parsed = schema.parse(value ?? {}, where, issues);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) throw new ConfigError(errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return parsed;
}

function deploySection(experiment: Experiment): NonNullable<Experiment['deploy']> {
  if (!experiment.deploy) throw new ConfigError('this experiment has no [deploy] table; add target, converter.kind = "QualiaCodeGen" and quantize');
  if (experiment.deploy.converter.kind !== 'QualiaCodeGen') {
    throw new UnsupportedError(`deploy.converter.kind '${experiment.deploy.converter.kind}' is not supported by Mote; supported: QualiaCodeGen`);
  }
  return experiment.deploy;
}

function numberFormat(quantize: string): NumberFormat {
  if (!(FORMATS as readonly string[]).includes(quantize)) {
    throw new UnsupportedError(`deploy.quantize '${quantize}' is not supported by QualiaCodeGen; use one of ${FORMATS.join(', ')}`);
  }
  return quantize as NumberFormat;
}

/** One unit of deploy work: a trained model of one run, in one number format and dialect. */
interface DeployJob {
  iteration: number;
  configModel: string;
  name: string; // after postprocessing renames
  quantize: NumberFormat;
  optimize: string;
  dir: string; // generated sources, relative to the workspace
}

async function* deployJobs(ctx: ActionContext, workspace: Workspace): AsyncGenerator<DeployJob & { codegen: CodegenModel; converter: QualiaCodeGenParams }> {
  const { experiment } = ctx;
  const deploy = deploySection(experiment);
  const converter = parseWith(qualiaCodeGen.params, deploy.converter.params, 'deploy.converter.params');
  const results = await loadResults(workspace, experiment, ctx.configPath);
  for (const iteration of runIndices(experiment)) {
    for (const model of enabledModels(experiment)) {
      const record = results.runs.find((r) => r.iteration === iteration && (r.config_model ?? r.model) === model.name);
      if (!record) throw new ConfigError(`model '${model.name}' run ${iteration} has not been trained in bench '${experiment.bench.name}' (logs/${experiment.bench.name}/results.json has no record of it). Run 'train' first.`);
      const { graph, quantization } = await loadFinalModel(workspace, record.model, iteration);
      for (const quantize of deploy.quantize.map(numberFormat)) {
        for (const optimize of deploy.optimize) {
          const codegen = codegenModelFor(quantize, graph, quantization, record.model);
          const dir = `${converter.outdir.replace(/\/+$/, '')}/${codegenDirName(record.model, iteration, quantize)}${optimize ? `_o${optimize}` : ''}`;
          yield { iteration, configModel: model.name, name: record.model, quantize, optimize, dir, codegen, converter };
        }
      }
    }
  }
}

export async function prepareDeployAction(ctx: ActionContext, workspace: Workspace): Promise<void> {
  const deploy = deploySection(ctx.experiment);
  const target = targetOf(deploy.target);
  for await (const job of deployJobs(ctx, workspace)) {
    const options = codegenOptions(job.converter, job.optimize);
    if (target === 'Linux') {
      if (job.optimize) throw new UnsupportedError(`deploy.optimize '${job.optimize}' targets Cortex-M DSP instructions and cannot run on the Linux host; use optimize = [''] with target Linux, or a board target (VirtualCortexM4, NucleoL452REP)`);
      const prepared = await prepareLinux(workspace, { model: job.codegen, name: job.name, iteration: job.iteration, codegen: options, outdir: job.converter.outdir });
      ctx.log(`${prepared.dir}/: ${Object.keys(prepared.files).join(', ')} (arena ${prepared.report.arenaBytes} B, weights ${prepared.report.weightBytes} B, ${prepared.report.macs} MACs)`);
      continue;
    }
    const generated = generateC(job.codegen, { ...options, displayName: `${job.name}_r${job.iteration}_q${job.quantize}` });
    for (const [file, text] of Object.entries(generated.files)) await workspace.writeFile(`${job.dir}/${file}`, text);
    ctx.log(`${job.dir}/: ${Object.keys(generated.files).join(', ')} (arena ${generated.report.arenaBytes} B, weights ${generated.report.weightBytes} B, ${generated.report.macs} MACs) for ${target}`);
  }
}

function targetOf(name: string): 'Linux' | BoardTargetName {
  if (!(name in targetKinds)) throw new UnsupportedError(`deploy.target '${name}' is not supported by Mote yet; supported: ${Object.keys(targetKinds).join(', ')}`);
  return name as 'Linux' | BoardTargetName;
}

/** The test vectors a board receives: test set, then `evaluate = true` augmentations, shuffle, deploy.limit. */
async function testVectors(ctx: ActionContext, shuffle: boolean): Promise<{ x: Float32Array; labels: Int32Array; count: number; shape: number[] }> {
  const { experiment } = ctx;
  const bundle = await loadPreprocessed(experiment);
  const augmentations = prepareAugmentations(experiment.data_augmentation);
  const classes = bundle.classNames.length;
  const hook = augmentationHook(augmentations, { classes, sourceDtype: bundle.test.x instanceof Uint8Array ? 'uint8' : 'float32', phase: 'evaluate' });
  const x = bundle.test.x instanceof Float32Array ? bundle.test.x : Float32Array.from(bundle.test.x);
  const out = hook({ x, shape: bundle.test.shape, labels: bundle.test.labels, count: bundle.test.count }, createRng(experiment.bench.seed).fork('evaluate'));
  const size = sizeOf(out.shape);
  let order = Array.from({ length: out.count }, (_, i) => i);
  if (shuffle) createRng(experiment.bench.seed).fork('shuffle').shuffle(order);
  const limit = experiment.deploy?.limit;
  if (limit !== undefined) order = order.slice(0, limit);
  const xs = new Float32Array(order.length * size);
  const labels = new Int32Array(order.length);
  order.forEach((from, i) => { xs.set(out.x.subarray(from * size, (from + 1) * size), i * size); labels[i] = out.labels[from]; });
  return { x: xs, labels, count: order.length, shape: out.shape };
}

export async function deployAndEvaluateAction(ctx: ActionContext, workspace: Workspace): Promise<void> {
  const { experiment } = ctx;
  const deploy = deploySection(experiment);
  const target = targetOf(deploy.target);
  const evaluatorParams = target === 'Linux' ? {} : parseWith((targetKinds[target] as { evaluatorParams: { parse(v: unknown, p: string, i: Issue[]): Record<string, unknown> } }).evaluatorParams, deploy.evaluator.params, 'deploy.evaluator.params');
  const deployerParams = target === 'Linux' ? {} : parseWith(targetKinds[target].params as { parse(v: unknown, p: string, i: Issue[]): Record<string, unknown> }, deploy.deployer.params, 'deploy.deployer.params');
  const test = await testVectors(ctx, evaluatorParams.shuffle === true);
  const results = await loadResults(workspace, experiment, ctx.configPath);

  for await (const job of deployJobs(ctx, workspace)) {
    const options = codegenOptions(job.converter, job.optimize);
    if (!(await workspace.exists(`${job.dir}/model.c`))) throw new ConfigError(`${job.dir}/model.c not found. Did you run 'prepare_deploy'?`);
    ctx.log(`${target}: evaluating ${job.name}_r${job.iteration} ${job.quantize}${job.optimize ? ` (${job.optimize})` : ''} on ${test.count} vectors`);
    let row: DeployResult;
    if (target === 'Linux') {
      const generated = generateC(job.codegen, options);
      const evaluation = await evaluateLinux({ model: job.codegen, dir: workspace.realPath!(job.dir), test, longWidth: options.longWidth, macs: generated.report.macs });
      row = {
        target, quantize: job.quantize, optimize: job.optimize, n: evaluation.n,
        accuracy: evaluation.accuracy, reference_accuracy: evaluation.reference_accuracy, agreement: evaluation.agreement,
        bit_exact: evaluation.bit_exact, max_rel_diff: evaluation.max_rel_diff,
        avg_latency_us: null, instructions_per_inference: null,
        macs: evaluation.macs, rom_bytes: evaluation.rom_bytes, ram_bytes: evaluation.ram_bytes,
      };
    } else {
      row = await evaluateOnBoardTarget(ctx, workspace, target, job, test, options.longWidth, deployerParams, evaluatorParams);
    }
    putDeployResult(runRecord(results, job.name, job.iteration), row);
    await saveResults(workspace, results);
    ctx.log(formatRow(row));
  }
}

async function evaluateOnBoardTarget(
  ctx: ActionContext, workspace: Workspace, target: BoardTargetName, job: DeployJob & { codegen: CodegenModel },
  test: { x: Float32Array; labels: Int32Array; count: number }, longWidth: 16 | 32 | 64 | undefined,
  deployerParams: Record<string, unknown>, evaluatorParams: Record<string, unknown>,
): Promise<DeployResult> {
  const modelFiles: Record<string, string> = {};
  for (const file of ['model.h', 'model.c', 'model_weights.h']) {
    if (await workspace.exists(`${job.dir}/${file}`)) modelFiles[file] = await workspace.readText(`${job.dir}/${file}`);
  }
  const model = job.codegen;
  const graph = model.format === 'float32' ? model.graph : model.quantized.graph;
  const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
  const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
  const vectors: RawVector[] = [];
  const floatVectors: Float32Array[] = [];
  for (let i = 0; i < test.count; i++) {
    const x = test.x.subarray(i * inputSize, (i + 1) * inputSize);
    floatVectors.push(x);
    if (model.format === 'float32') vectors.push(Float32Array.from(x));
    else {
      const raw = quantizeInput(model.quantized, x);
      vectors.push(model.format === 'int8' ? Int8Array.from(raw) : Int16Array.from(raw));
    }
  }
  const reference = referenceOutputs(model, test, { longWidth });
  const expectedModelHash = generateC(model, { longWidth, dialect: job.optimize === 'cmsis-nn' ? 'cortex-m' : 'c99' }).report.hash;
  const result = await deployAndEvaluateBoard({
    target, modelFiles, vectors, floatVectors, labels: test.labels,
    reference: (_v, i) => reference.subarray(i * outputSize, (i + 1) * outputSize),
    deployerParams: deployerParams as never, evaluatorParams: evaluatorParams as never,
    expectedModelHash, signal: ctx.signal,
    onProgress: (done, total) => ctx.progress?.({ stage: `${target} evaluate`, done, total }),
  });
  // Qualia's build folder out/deploy/<Target>/<tag>/; the .bin is what a user drags onto a Nucleo's USB drive.
  const buildDir = `out/deploy/${target}/${deployTag(job.name, job.quantize, job.optimize, 1, job.iteration)}`;
  for (const file of ['firmware.elf', 'firmware.bin', 'firmware.wasm']) {
    if (result.build.files[file]) await workspace.writeFile(`${buildDir}/${file}`, result.build.files[file]);
  }
  ctx.log(`firmware in ${buildDir}/`);
  const report = result.report;
  const rows = report?.rows ?? [];
  const exactShare = rows.length ? rows.filter((r) => r.bitExact).length / rows.length : null;
  const macs = generateC(model, { longWidth }).report.macs;
  if (result.qualiaReport) {
    const q = result.qualiaReport;
    return {
      target, quantize: job.quantize, optimize: job.optimize, n: q.n, accuracy: q.accuracy, reference_accuracy: null, agreement: null, bit_exact: null,
      avg_latency_us: q.avg_time === undefined ? null : q.avg_time * 1e6, instructions_per_inference: null, macs, rom_bytes: result.size?.rom_bytes ?? null, ram_bytes: result.size?.ram_bytes ?? null,
    };
  }
  return {
    target, quantize: job.quantize, optimize: job.optimize,
    n: report?.n ?? null,
    accuracy: report?.accuracy ?? null,
    reference_accuracy: report?.reference_accuracy ?? null,
    // int8/int16: share of vectors whose raw outputs equal the reference's; float32: same predicted class.
    agreement: job.quantize === 'float32' ? report?.agreement ?? null : exactShare,
    bit_exact: job.quantize === 'float32' ? null : report?.bit_exact ?? null,
    avg_latency_us: target === 'NucleoL452REP' ? report?.avg_latency_us ?? null : null,
    instructions_per_inference: result.instructions_per_inference ?? report?.instructions_per_inference ?? null,
    macs,
    rom_bytes: result.size?.rom_bytes ?? null,
    ram_bytes: result.size?.ram_bytes ?? null,
  };
}

function formatRow(row: DeployResult): string {
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(2)}%`);
  const parts = [
    `accuracy ${pct(row.accuracy)} (reference ${pct(row.reference_accuracy)})`,
    `agreement ${pct(row.agreement)}${row.bit_exact === null ? '' : row.bit_exact ? ', bit-exact' : ', NOT bit-exact'}`,
  ];
  if (row.instructions_per_inference !== null) parts.push(`${Math.round(row.instructions_per_inference)} instructions/inference`);
  if (row.avg_latency_us !== null) parts.push(`${row.avg_latency_us.toFixed(1)} µs/inference`);
  if (row.rom_bytes !== null) parts.push(`ROM ${row.rom_bytes} B, RAM ${row.ram_bytes} B`);
  return `  ${row.n} vectors: ${parts.join('; ')}`;
}
