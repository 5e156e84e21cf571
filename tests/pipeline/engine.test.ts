// The one engine (src/core/pipeline/engine.ts) in an environment like the app's: data kept in memory
// between actions, training in process, and only the boards a browser has — clang (wasm32) and the Wasm
// board served over a MessagePort (the `wasm-worker` transport, run here in-thread). The default
// experiment names deploy.target = "Linux", which a browser cannot run: the engine must evaluate on the
// board it can reach and say so, never switch silently; and honour a target it can reach.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { UnsupportedError } from '../../src/core/base/errors';
import { nodeWorkspace } from '../../src/core/base/workspace.node';
import type { Experiment } from '../../src/core/config/experiment';
import { loadExperiment } from '../../src/core/config/load';
import type { DataBundle } from '../../src/core/data/bundle';
import type { BoardEnvironment } from '../../src/core/deploy/environment';
import { reachableBoards } from '../../src/core/deploy/registry';
import { createWasmToolchain } from '../../src/core/deploy/toolchain';
import { serveWasmBoard, wasmWorkerConnector } from '../../src/core/deploy/wasm-board';
import type { PortLike } from '../../src/core/evaluation/transport-port';
import type { BenchResults } from '../../src/core/experiments/results';
import { runPipeline, type DataEnvironment, type PipelineEnvironment, type PipelineEvent } from '../../src/core/pipeline/engine';
import { preprocessData, summarizeBundle } from '../../src/core/pipeline/prepare-data';
import { runTrainingJob } from '../../src/core/pipeline/training-job';
import { runPostprocessingJob } from '../../src/core/pipeline/postprocessing-job';

const root = resolve(__dirname, '../..');
const config = readFileSync(join(root, 'conf/digits/cnn_int8.toml'), 'utf8');
let workdir: string;

function experiment(...overrides: string[]): Experiment {
  const loaded = loadExperiment(config, { file: 'cnn_int8.toml', overrides: ['--model_template.epochs=2', '--deploy.limit=40', ...overrides] });
  expect(loaded.experiment, JSON.stringify(loaded.diagnostics)).toBeDefined();
  return loaded.experiment!;
}

/** Keeps the preprocessed bundle in memory, as the app's data worker does. */
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

/** What a browser offers: clang as WebAssembly and the Wasm board behind a MessagePort. */
const browserBoards: BoardEnvironment = {
  where: 'browser',
  toolchains: { wasm: createWasmToolchain() },
  transports: {
    'wasm-worker': wasmWorkerConnector({
      channel() {
        const channel = new MessageChannel();
        return { board: channel.port1 as unknown as PortLike, page: channel.port2 as unknown as PortLike };
      },
      async serve(port, wasm) { await serveWasmBoard(port, wasm); },
    }),
  },
};

let env: PipelineEnvironment;

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'mote-engine-'));
  env = {
    workspace: nodeWorkspace(workdir), configPath: 'cnn_int8.toml', data: memoryData(), trainer: { runJob: runTrainingJob, runPostprocessing: runPostprocessingJob },
    boards: browserBoards, fallbackBoard: reachableBoards(browserBoards)[0]?.kind,
  };
  const events: PipelineEvent[] = [];
  const run = await runPipeline(experiment(), ['preprocess_data', 'train', 'prepare_deploy'], env, { onEvent: (e) => events.push(e) });
  expect(run.trained).toHaveLength(1);
  expect(run.generated).toHaveLength(1);
  expect(events.filter((e) => e.type === 'action-end').map((e) => e.action)).toEqual(['preprocess_data', 'train', 'prepare_deploy']);
}, 600_000);

afterAll(() => rmSync(workdir, { recursive: true, force: true }));

function results(): BenchResults {
  return JSON.parse(readFileSync(join(workdir, 'logs/Digits_CNN_int8/results.json'), 'utf8'));
}

describe('runPipeline where deploy.target is not available', () => {
  test('the browser offers the Wasm board as the one it reaches', () => {
    expect(reachableBoards(browserBoards).map((b) => b.kind)).toEqual(['Wasm']);
  });

  test('deploy.target Linux: evaluated on the Wasm board, and the summary says which board and why', async () => {
    const events: PipelineEvent[] = [];
    const run = await runPipeline(experiment(), ['deploy_and_evaluate'], env, { onEvent: (e) => events.push(e) });
    const board = events.find((e) => e.type === 'board');
    expect(board).toMatchObject({ requested: 'Linux', used: 'Wasm', title: 'Wasm virtual board' });
    const notice = 'used board Wasm because deploy.target Linux cannot run here: Linux builds with host-cc (gcc (apt-get install gcc) or $CC), and none is available in this browser';
    expect(board && 'notice' in board && board.notice).toBe(notice);
    const end = events.find((e) => e.type === 'action-end');
    expect(end && 'summary' in end && end.summary).toMatch(new RegExp(`^${notice.replace(/[()$]/g, '\\$&')}; digits_cnn_fused_\\S+ int8 on the Wasm board: accuracy [\\d.]+ % \\(reference [\\d.]+ %\\), bit-exact, 40 vectors$`));
    expect(events.some((e) => e.type === 'log' && e.line === notice)).toBe(true);
    expect(run.board).toEqual({ requested: 'Linux', used: 'Wasm', notice });
    // The row says the board that ran, not the one the config named.
    const rows = results().runs[0].deploy;
    expect(rows.find((r) => r.target === 'Wasm')).toMatchObject({ quantize: 'int8', n: 40, bit_exact: true, agreement: 1 });
    const log = readFileSync(join(workdir, `out/deploy/Wasm/${run.evaluations[0].evaluation.firmwareDir!.split('/').pop()}/build.log`), 'utf8');
    expect(log).toMatch(/^clang \(wasm32\) for the Wasm virtual board: out\/qualia_codegen\/\S+\/ → firmware\.wasm \(\d+ bytes\) in \d+ ms\n/);
  }, 300_000);

  test('deploy.target Wasm: evaluated there, with no notice', async () => {
    const events: PipelineEvent[] = [];
    await runPipeline(experiment('--deploy.target=Wasm'), ['deploy_and_evaluate'], env, { onEvent: (e) => events.push(e) });
    const board = events.find((e) => e.type === 'board');
    expect(board).toMatchObject({ requested: 'Wasm', used: 'Wasm' });
    expect(board && 'notice' in board ? board.notice : undefined).toBeUndefined();
    const end = events.find((e) => e.type === 'action-end');
    expect(end && 'summary' in end && end.summary).toMatch(/^digits_cnn_fused_\S+ int8 on the Wasm board: accuracy [\d.]+ %/);
  }, 300_000);

  test('without a fallback board (the CLI), an unreachable target fails with the reason', async () => {
    await expect(runPipeline(experiment('--deploy.target=VirtualCortexM4'), ['deploy_and_evaluate'], { ...env, fallbackBoard: undefined }))
      .rejects.toThrow(new UnsupportedError('VirtualCortexM4 builds with local (arm-none-eabi-gcc or riscv64-unknown-elf-gcc (scripts/install-system-packages.sh)) or hosted (the hosted toolchain running (npm run toolchain) and its address), and none is available in this browser'));
  });

  test('a cancelled run stops before the next action', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(runPipeline(experiment(), ['deploy_and_evaluate'], env, { signal: controller.signal })).rejects.toThrow(/cancelled/);
  });
});
