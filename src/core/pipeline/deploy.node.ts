// prepare_deploy and deploy_and_evaluate in Node: generate the C (deploy.ts), then build and run it on
// deploy.target — host `cc` for Linux, arm-none-eabi-gcc + QEMU for VirtualCortexM4, a serial device for
// NucleoL452REP, clang → wasm32 for Wasm — and compare every output with Mote's TypeScript reference.

import { parseOrThrow, type Issue } from '../base/schema';
import { generateC } from '../codegen/emit';
import { deployAndEvaluateBoard, type BoardTargetName } from '../deploy/board-runner.node';
import { targetKinds } from '../deploy/registry';
import { evaluateLinux } from '../deploy/targets/linux-build.node';
import { UnsupportedError } from '../base/errors';
import type { ActionContext } from './context';
import { loadPreprocessed } from './dataset.node';
import {
  boardDeployResult, boardVectors, deployJobs, deploySection, evaluationSet, formatDeployResult, generateSources,
  readModelFiles, type DeployJob, type EvaluationSet,
} from './deploy';
import { deployTag } from '../base/naming';
import { putDeployResult, runRecord, type DeployResult } from '../experiments/results';
import { loadResults, saveResults } from './results-store';
import type { Workspace } from '../base/workspace';

type TargetName = 'Linux' | BoardTargetName;
type ParamsSchema = { parse(v: unknown, p: string, i: Issue[]): Record<string, unknown> };

function targetOf(name: string): TargetName {
  if (!(name in targetKinds)) throw new UnsupportedError(`deploy.target '${name}' is not supported by Mote yet; supported: ${Object.keys(targetKinds).join(', ')}`);
  return name as TargetName;
}

export async function prepareDeployAction(ctx: ActionContext, workspace: Workspace): Promise<void> {
  targetOf(deploySection(ctx.experiment).target);
  const results = await loadResults(workspace, ctx.experiment, ctx.configPath);
  await generateSources(ctx.experiment, workspace, results, ctx.log);
  await saveResults(workspace, results);
}

export async function deployAndEvaluateAction(ctx: ActionContext, workspace: Workspace): Promise<void> {
  const { experiment } = ctx;
  const deploy = deploySection(experiment);
  const target = targetOf(deploy.target);
  const board = target === 'Linux' ? undefined : targetKinds[target];
  const evaluatorParams = board ? parseOrThrow(board.evaluatorParams as ParamsSchema, deploy.evaluator.params, 'deploy.evaluator.params') : {};
  const deployerParams = board ? parseOrThrow(board.params as ParamsSchema, deploy.deployer.params, 'deploy.deployer.params') : {};
  const test = evaluationSet(experiment, await loadPreprocessed(experiment), { shuffle: evaluatorParams.shuffle === true });
  const results = await loadResults(workspace, experiment, ctx.configPath);

  for await (const job of deployJobs(experiment, workspace, results)) {
    const modelFiles = await readModelFiles(workspace, job.dir);
    ctx.log(`${target}: evaluating ${job.name}_r${job.iteration} ${job.quantize}${job.optimize ? ` (${job.optimize})` : ''} on ${test.count} vectors`);
    const macs = generateC(job.codegen, job.options).report.macs;
    const row = target === 'Linux'
      ? await evaluateOnLinux(workspace, job, test, macs)
      : await evaluateOnBoard(ctx, workspace, target, job, test, macs, modelFiles, deployerParams, evaluatorParams);
    putDeployResult(runRecord(results, job.name, job.iteration), row);
    await saveResults(workspace, results);
    ctx.log(formatDeployResult(row));
  }
}

async function evaluateOnLinux(workspace: Workspace, job: DeployJob, test: EvaluationSet, macs: number): Promise<DeployResult> {
  const evaluation = await evaluateLinux({ model: job.codegen, dir: workspace.realPath!(job.dir), test, longWidth: job.options.longWidth, macs });
  return {
    target: 'Linux', quantize: job.quantize, optimize: job.optimize, n: evaluation.n,
    accuracy: evaluation.accuracy, reference_accuracy: evaluation.reference_accuracy, agreement: evaluation.agreement,
    bit_exact: evaluation.bit_exact, max_rel_diff: evaluation.max_rel_diff,
    avg_latency_us: null, instructions_per_inference: null,
    macs: evaluation.macs, rom_bytes: evaluation.rom_bytes, ram_bytes: evaluation.ram_bytes,
  };
}

async function evaluateOnBoard(
  ctx: ActionContext, workspace: Workspace, target: BoardTargetName, job: DeployJob, test: EvaluationSet, macs: number,
  modelFiles: Record<string, string>, deployerParams: Record<string, unknown>, evaluatorParams: Record<string, unknown>,
): Promise<DeployResult> {
  const { vectors, floatVectors, reference, outputSize } = boardVectors(job.codegen, test, job.options.longWidth);
  const result = await deployAndEvaluateBoard({
    target, modelFiles, vectors, floatVectors, labels: test.labels,
    reference: (_vector, i) => reference.subarray(i * outputSize, (i + 1) * outputSize),
    deployerParams: deployerParams as never, evaluatorParams: evaluatorParams as never,
    expectedModelHash: generateC(job.codegen, job.options).report.hash,
    signal: ctx.signal,
    onProgress: (done, total) => ctx.progress?.({ stage: `${target} evaluate`, done, total }),
  });
  // Qualia's build folder out/deploy/<Target>/<tag>/; the .bin is what a user drags onto a Nucleo's USB drive.
  const buildDir = `out/deploy/${target}/${deployTag(job.name, job.quantize, job.optimize, 1, job.iteration)}`;
  for (const file of ['firmware.elf', 'firmware.bin', 'firmware.wasm']) {
    if (result.build.files[file]) await workspace.writeFile(`${buildDir}/${file}`, result.build.files[file]);
  }
  ctx.log(`firmware in ${buildDir}/`);
  const size = { rom_bytes: result.size?.rom_bytes, ram_bytes: result.size?.ram_bytes };
  if (result.qualiaReport) {
    // Qualia's text protocol carries predictions and latency, not raw outputs: no bit-exactness to report.
    const q = result.qualiaReport;
    return {
      target, quantize: job.quantize, optimize: job.optimize, n: q.n, accuracy: q.accuracy, reference_accuracy: null, agreement: null, bit_exact: null,
      avg_latency_us: q.avg_time === undefined ? null : q.avg_time * 1e6, instructions_per_inference: null, macs,
      rom_bytes: size.rom_bytes ?? null, ram_bytes: size.ram_bytes ?? null,
    };
  }
  if (!result.report) throw new UnsupportedError(`${target}: the board returned no evaluation report`);
  return boardDeployResult(target, job, macs, result.report, {
    ...size,
    instructions_per_inference: result.instructions_per_inference,
    latencyFromBoardClock: target === 'NucleoL452REP',
  });
}
