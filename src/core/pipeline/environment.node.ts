// The engine's environment in Node (the CLI, tests, bench): Qualia's layout under the working directory,
// the preprocessed data cached in out/data/<name>/, training and post-processing in process on tfjs, and
// Node's toolchains and board transports (deploy/environment.node.ts), and onnxruntime-web's Node entry as
// the float reference.
import type { Workspace } from '../base/workspace';
import { nodeWorkspace } from '../base/workspace.node';
import { saveBundle } from '../data/cache.node';
import { nodeBoardEnvironment, type NodeBoardEnvironmentOptions } from '../deploy/environment.node';
import { loadPreprocessed } from './dataset.node';
import type { DataEnvironment, PipelineEnvironment } from './engine';
import { openDatasetSource } from './open-dataset.node';
import { applyPreprocessing, formatSummary, loadDataset, summarizeBundle } from './prepare-data';
import { runTrainingJob } from './training-job';
import { runPostprocessingJob } from './postprocessing-job';
import { nodeOnnxRuntime } from '../models/onnx/runtime.node';

/** preprocess_data imports the dataset from its original files and caches the result in out/data/<name>/. */
export const nodeDataEnvironment: DataEnvironment = {
  async preprocess(experiment, report) {
    const source = await openDatasetSource(experiment.dataset);
    const imported = await loadDataset(experiment.dataset, source, report.progress);
    report.log(`imported ${formatSummary(summarizeBundle(imported))}`);
    if (experiment.preprocessing.length === 0) {
      report.log(`saved to ${await saveBundle(imported, 'out')}/`);
      return summarizeBundle(imported);
    }
    const bundle = applyPreprocessing(imported, experiment.preprocessing, experiment.bench.seed);
    const summary = summarizeBundle(bundle);
    report.log(`after [[preprocessing]] (${experiment.preprocessing.map((p) => p.kind).join(', ')}): ${formatSummary(summary)}`);
    report.log(`saved to ${await saveBundle(bundle, 'out')}/`);
    return summary;
  },
  load: loadPreprocessed,
};

export interface NodePipelineOptions extends NodeBoardEnvironmentOptions {
  configPath: string;
  workspace?: Workspace;
}

export function nodePipelineEnvironment(options: NodePipelineOptions): PipelineEnvironment {
  return {
    workspace: options.workspace ?? nodeWorkspace(),
    configPath: options.configPath,
    data: nodeDataEnvironment,
    trainer: { runJob: runTrainingJob, runPostprocessing: runPostprocessingJob },
    boards: nodeBoardEnvironment(options),
    onnxRuntime: nodeOnnxRuntime,
  };
}
