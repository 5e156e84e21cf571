import type { Experiment } from '../config/experiment';
import { logsDir } from './context';
import { emptyResults, RESULTS_FORMAT_VERSION, type BenchResults } from '../experiments/results';
import type { Workspace } from '../base/workspace';

export function resultsPath(experiment: Experiment): string {
  return `${logsDir(experiment)}/results.json`;
}

/** The bench's results so far (actions add to them), or a fresh record; an unreadable file is replaced. */
export async function loadResults(workspace: Workspace, experiment: Experiment, configPath: string): Promise<BenchResults> {
  const path = resultsPath(experiment);
  if (await workspace.exists(path)) {
    try {
      const previous = JSON.parse(await workspace.readText(path)) as BenchResults;
      if (previous.format === RESULTS_FORMAT_VERSION && Array.isArray(previous.runs)) return { ...previous, config: configPath };
    } catch {
      // a truncated or hand-edited file: start again rather than fail the run
    }
  }
  return emptyResults(experiment.bench.name, configPath);
}

export async function saveResults(workspace: Workspace, results: BenchResults): Promise<void> {
  results.updated = new Date().toISOString();
  await workspace.writeFile(`logs/${results.bench}/results.json`, JSON.stringify(results, null, 2) + '\n');
}
