// The runtime route in the one engine, in an environment like the app's but with no compiler at all: no
// toolchain, no stream transport, only a runtime executor (the board worker's 'wasm-worker', run here in
// this thread on the prebuilt image). The default digits experiment with converter MoteRuntime runs to the
// end on the Wasm board; a target whose runtime this place cannot reach (VirtualCortexM4: its image runs on
// QEMU) is replaced by the Wasm board with the sentence that says so, its blob written again in the Wasm
// image's layout; without a fallback, or without executors, it fails with the reason in plain words.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UnsupportedError } from '../../src/core/base/errors';
import { nodeWorkspace } from '../../src/core/base/workspace.node';
import type { Experiment } from '../../src/core/config/experiment';
import { loadExperiment } from '../../src/core/config/load';
import type { DataBundle } from '../../src/core/data/bundle';
import { reachRuntime, type BoardEnvironment } from '../../src/core/deploy/environment';
import { prebuiltRuntimeImage } from '../../src/core/deploy/environment.node';
import { boardOf } from '../../src/core/deploy/registry';
import { wasmRuntimeExecutor } from '../../src/core/deploy/wasm-runtime-board';
import type { BenchResults } from '../../src/core/experiments/results';
import { runPipeline, type DataEnvironment, type PipelineEnvironment, type PipelineEvent } from '../../src/core/pipeline/engine';
import { preprocessData, summarizeBundle } from '../../src/core/pipeline/prepare-data';
import { runTrainingJob } from '../../src/core/pipeline/training-job';
import { runPostprocessingJob } from '../../src/core/pipeline/postprocessing-job';

const root = resolve(__dirname, '../..');
const config = readFileSync(join(root, 'conf/digits/cnn_int8_runtime.toml'), 'utf8');
let workdir: string;

function experiment(...overrides: string[]): Experiment {
  const loaded = loadExperiment(config, { file: 'cnn_int8_runtime.toml', overrides: ['--model_template.epochs=2', '--deploy.limit=40', ...overrides] });
  expect(loaded.experiment, JSON.stringify(loaded.diagnostics)).toBeDefined();
  return loaded.experiment!;
}

function memoryData(): DataEnvironment {
  let kept: DataBundle | undefined;
  return {
    async preprocess(e) {
      kept = await preprocessData({ dataset: e.dataset, preprocessing: e.preprocessing, seed: e.bench.seed }, undefined);
      return summarizeBundle(kept);
    },
    async load() {
      if (!kept) throw new Error('preprocess_data has not run');
      return kept;
    },
  };
}

/** A browser with nothing but the Mote Runtime: no toolchain, no transport to stream firmware over. */
const runtimeOnly: BoardEnvironment = {
  where: 'browser', toolchains: {}, transports: {},
  runtimes: { 'wasm-worker': wasmRuntimeExecutor('wasm-worker', prebuiltRuntimeImage) },
};

let env: PipelineEnvironment;

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'mote-runtime-engine-'));
  env = { workspace: nodeWorkspace(workdir), configPath: 'cnn_int8_runtime.toml', data: memoryData(), trainer: { runJob: runTrainingJob, runPostprocessing: runPostprocessingJob }, boards: runtimeOnly, fallbackBoard: 'Wasm' };
});

afterAll(() => rmSync(workdir, { recursive: true, force: true }));

function rows() {
  return (JSON.parse(readFileSync(join(workdir, 'logs/Digits_CNN_int8_runtime/results.json'), 'utf8')) as BenchResults).runs[0].deploy;
}

describe('the runtime route with no compiler anywhere', () => {
  test('deploy.target Wasm: every action, the blob bit-exact on the runtime, a per-vector report', async () => {
    const events: PipelineEvent[] = [];
    const run = await runPipeline(experiment(), ['preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate'], env, { onEvent: (e) => events.push(e) });
    expect(run.generated.map((g) => g.files)).toEqual([['model.mtb']]);
    const board = events.find((e) => e.type === 'board');
    expect(board).toMatchObject({ requested: 'Wasm', used: 'Wasm' });
    expect(board && 'notice' in board ? board.notice : undefined).toBeUndefined();
    const { evaluation } = run.evaluations[0];
    expect(evaluation.row).toMatchObject({ target: 'Wasm', route: 'runtime', n: 40, bit_exact: true, agreement: 1 });
    expect(evaluation.row.accuracy).toBe(evaluation.row.reference_accuracy);
    expect(evaluation.report?.rows).toHaveLength(40);
    expect(evaluation.report?.rows.every((r) => r.bitExact && r.predicted === r.referencePredicted)).toBe(true);
    expect(evaluation.report?.hello).toBeUndefined(); // no protocol ran
    expect(events.some((e) => e.type === 'log' && /runtime route: model blob on the Mote Runtime through wasm-worker/.test(e.line))).toBe(true);
  }, 300_000);

  test('deploy.target VirtualCortexM4 (its runtime is on QEMU): the Wasm board instead, said so, the blob in its layout', async () => {
    const events: PipelineEvent[] = [];
    const target = experiment('--deploy.target=VirtualCortexM4');
    await runPipeline(target, ['prepare_deploy', 'deploy_and_evaluate'], env, { onEvent: (e) => events.push(e) });
    const board = events.find((e) => e.type === 'board');
    expect(board).toMatchObject({ requested: 'VirtualCortexM4', used: 'Wasm' });
    expect(board && 'notice' in board && board.notice).toMatch(/^used board Wasm because deploy\.target VirtualCortexM4 cannot run here: VirtualCortexM4 runs the Mote Runtime through qemu \(.*\), and none of them can run it in this browser$/);
    const lines = events.flatMap((e) => (e.type === 'log' ? [e.line] : []));
    expect(lines.some((l) => /^out\/deploy\/VirtualCortexM4\/\S+\/: blob written again in c99 layout for Wasm \(prepared for the cortex-m layout\)$/.test(l)), lines.join('\n')).toBe(true);
    expect(rows().find((r) => r.target === 'Wasm' && r.route === 'runtime')).toMatchObject({ n: 40, bit_exact: true, agreement: 1 });
  }, 300_000);

  test('without a fallback, or without runtime executors, the reason in plain words', async () => {
    await expect(runPipeline(experiment('--deploy.target=VirtualCortexM4'), ['deploy_and_evaluate'], { ...env, fallbackBoard: undefined }))
      .rejects.toThrow(/^VirtualCortexM4 runs the Mote Runtime through qemu \(.*\), and none of them can run it in this browser$/);
    const bare: BoardEnvironment = { where: 'node', toolchains: {}, transports: {} };
    await expect(runPipeline(experiment(), ['deploy_and_evaluate'], { ...env, boards: bare, fallbackBoard: undefined }))
      .rejects.toThrow(new UnsupportedError(reachRuntimeReason('Wasm', bare)));
    expect(reachRuntimeReason('Wasm', bare)).toMatch(/^Wasm runs the Mote Runtime through wasm-thread \(.*\) or wasm-worker \(.*\), and none of them can run it on this computer$/);
    expect(reachRuntimeReason('Linux', runtimeOnly)).toBe('target Linux (Linux host (this computer)) has no Mote Runtime image, so converter MoteRuntime cannot run on it; use converter.kind = "QualiaCodeGen" (generated C) for Linux');
  });
});

function reachRuntimeReason(target: string, boards: BoardEnvironment): string {
  const reached = reachRuntime(boardOf(target), boards);
  if (reached.ok) throw new Error(`${target} was reached`);
  return reached.reason;
}
