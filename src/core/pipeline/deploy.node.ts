// prepare_deploy and deploy_and_evaluate in Node: generate the C (deploy.ts), then evaluate it on
// deploy.target through Node's board environment (deploy/environment.node.ts: host cc, arm-none-eabi-gcc +
// QEMU, a serial device, clang → wasm32) with the one evaluateJob (evaluate.ts).

import { UnsupportedError } from '../base/errors';
import { parseOrThrow } from '../base/schema';
import type { Workspace } from '../base/workspace';
import type { BoardEnvironment } from '../deploy/environment';
import { reachBoard } from '../deploy/environment';
import { nodeBoardEnvironment } from '../deploy/environment.node';
import { boardOf } from '../deploy/registry';
import { putDeployResult, runRecord } from '../experiments/results';
import type { ActionContext } from './context';
import { loadPreprocessed } from './dataset.node';
import { deployJobs, deploySection, evaluationSet, formatDeployResult, generateSources } from './deploy';
import { evaluateJob } from './evaluate';
import { loadResults, saveResults } from './results-store';

export async function prepareDeployAction(ctx: ActionContext, workspace: Workspace): Promise<void> {
  boardOf(deploySection(ctx.experiment).target);
  const results = await loadResults(workspace, ctx.experiment, ctx.configPath);
  await generateSources(ctx.experiment, workspace, results, ctx.log);
  await saveResults(workspace, results);
}

export async function deployAndEvaluateAction(ctx: ActionContext, workspace: Workspace, env: BoardEnvironment = nodeBoardEnvironment()): Promise<void> {
  const { experiment } = ctx;
  const deploy = deploySection(experiment);
  const board = boardOf(deploy.target);
  const reached = reachBoard(board, env);
  if (!reached.ok) throw new UnsupportedError(reached.reason);
  // The config loader has checked both tables; parsing again fills the board's defaults.
  const evaluator = parseOrThrow(board.evaluatorParams, deploy.evaluator.params, 'deploy.evaluator.params') as Record<string, unknown>;
  const deployer = parseOrThrow(board.params, deploy.deployer.params, 'deploy.deployer.params') as Record<string, unknown>;
  const test = evaluationSet(experiment, await loadPreprocessed(experiment), { shuffle: board.shuffle(evaluator as never) });
  const results = await loadResults(workspace, experiment, ctx.configPath);

  for await (const job of deployJobs(experiment, workspace, results)) {
    ctx.log(`${board.kind}: evaluating ${job.name}_r${job.iteration} ${job.quantize}${job.optimize ? ` (${job.optimize})` : ''} on ${test.count} vectors`);
    const { row } = await evaluateJob({
      reached, job, test, workspace, deployer, evaluator, log: ctx.log, signal: ctx.signal,
      onProgress: (done, total) => ctx.progress?.({ stage: `${board.kind} evaluate`, done, total }),
    });
    putDeployResult(runRecord(results, job.name, job.iteration), row);
    await saveResults(workspace, results);
    ctx.log(formatDeployResult(row));
  }
}
