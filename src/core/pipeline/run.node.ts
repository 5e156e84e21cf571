import type { Experiment } from '../config/experiment';
import { unsupportedKinds, type Stage } from '../config/load';
import { UnsupportedError } from '../base/errors';
import type { ActionContext } from './context';
import { preprocessAction } from './preprocess.node';
import { trainAction } from './train.node';
import { deployAndEvaluateAction, prepareDeployAction } from './deploy.node';
import { nodeWorkspace } from '../base/workspace.node';

export type PipelineAction = Stage;

export interface RunOptions {
  configPath: string;
  log?: (line: string) => void;
  progress?: ActionContext['progress'];
  signal?: AbortSignal;
}

const actions: Record<PipelineAction, (ctx: ActionContext) => Promise<void>> = {
  preprocess_data: preprocessAction,
  train: (ctx) => trainAction(ctx, nodeWorkspace()),
  prepare_deploy: (ctx) => prepareDeployAction(ctx, nodeWorkspace()),
  deploy_and_evaluate: (ctx) => deployAndEvaluateAction(ctx, nodeWorkspace()),
};

/** Runs one pipeline action in Node (the CLI), writing Qualia's layout under the current directory. */
export async function runAction(action: PipelineAction, experiment: Experiment, options: RunOptions): Promise<void> {
  const unsupported = unsupportedKinds(experiment, action);
  if (unsupported.length) throw new UnsupportedError(unsupported.join('\n'));
  await actions[action]({
    experiment,
    configPath: options.configPath,
    log: options.log ?? ((line) => console.log(line)),
    progress: options.progress,
    signal: options.signal,
  });
}
