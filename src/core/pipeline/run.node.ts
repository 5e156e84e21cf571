import type { Experiment } from '../config/experiment';
import { UnsupportedError } from '../errors';

export type PipelineAction = 'preprocess_data' | 'train' | 'prepare_deploy' | 'deploy_and_evaluate';

export interface RunOptions {
  configPath: string;
}

/** Runs one pipeline action in Node (the CLI), writing Qualia's layout under the current directory. */
export async function runAction(action: PipelineAction, experiment: Experiment, options: RunOptions): Promise<void> {
  void experiment; void options;
  throw new UnsupportedError(`the ${action} action is not wired into the CLI yet`);
}
