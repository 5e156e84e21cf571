// The deploy stages of the app's Run, over the same core as the CLI (src/core/pipeline/deploy.ts):
// generate the C of every trained model × deploy.quantize × deploy.optimize into the run's artifacts, then
// evaluate it on the Wasm virtual board (the generated C compiled to wasm32 in a worker) against the
// TypeScript reference. The experiment's own target (Linux, a board) is not used in the browser; the Wasm
// board runs the same C, so its integers are those the target computes.
import type { Experiment } from '../../core/config/experiment';
import type { DataBundle } from '../../core/data/bundle';
import type { EvaluationReport } from '../../core/evaluation/evaluator';
import type { GeneratedModel } from '../../core/pipeline/deploy';
import type { BenchResults } from '../../core/experiments/results';
import type { Workspace } from '../../core/base/workspace';

export type { GeneratedModel };

export async function prepareDeploy(experiment: Experiment, workspace: Workspace, results: BenchResults): Promise<GeneratedModel[]> {
  const { generateSources } = await import('../../core/pipeline/deploy');
  return generateSources(experiment, workspace, results);
}

export interface BoardEvaluation {
  model: GeneratedModel;
  report: EvaluationReport;
}

export async function evaluateOnVirtualBoard(
  experiment: Experiment, workspace: Workspace, results: BenchResults, generated: GeneratedModel[], bundle: DataBundle,
  options: { signal: AbortSignal; onProgress(model: GeneratedModel, phase: 'build' | 'evaluate', done: number, total: number): void },
): Promise<BoardEvaluation[]> {
  const [{ evaluationSet, boardVectors, readModelFiles, boardDeployResult }, { evaluateOnWasmBoard }, { putDeployResult, runRecord }, { deployTag }] = await Promise.all([
    import('../../core/pipeline/deploy'),
    import('../../workers/board-client'),
    import('../../core/experiments/results'),
    import('../../core/base/naming'),
  ]);
  const test = evaluationSet(experiment, bundle);
  const evaluations: BoardEvaluation[] = [];
  for (const model of generated) {
    const { vectors, reference, outputSize } = boardVectors(model.codegen, test, model.options.longWidth);
    const modelFiles = await readModelFiles(workspace, model.dir);
    const outcome = await evaluateOnWasmBoard(
      { modelFiles, vectors, labels: test.labels, reference, outputSize, expectedModelHash: model.report.hash },
      { signal: options.signal, onProgress: (phase, done, total) => options.onProgress(model, phase, done, total) },
    );
    const buildDir = `out/deploy/Wasm/${deployTag(model.name, model.quantize, model.optimize, 1, model.iteration)}`;
    await workspace.writeFile(`${buildDir}/firmware.wasm`, outcome.firmware);
    await workspace.writeFile(`${buildDir}/build.log`,
      `clang (wasm32) for the Wasm virtual board: ${model.dir}/ → firmware.wasm (${outcome.firmware.byteLength} bytes) in ${Math.round(outcome.buildMs)} ms\n${outcome.buildLog || '(no compiler messages)\n'}`);
    putDeployResult(runRecord(results, model.name, model.iteration), boardDeployResult('Wasm', model, model.report.macs, outcome.report));
    evaluations.push({ model, report: outcome.report });
  }
  return evaluations;
}
