// The default experiment (conf/digits/cnn_int8.toml) trained by the real CLI, then its int8 deploy model
// encoded as a model blob and run by the prebuilt wasm runtime on the test vectors the boards receive:
// every raw output equal to the integer reference's, and the reference's accuracy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { nodeWorkspace } from '../../src/core/base/workspace.node';
import { loadExperimentFile } from '../../src/core/config/load-file.node';
import { loadBundle } from '../../src/core/data/cache.node';
import { evaluateOnWasmRuntime } from '../../src/core/deploy/wasm-runtime-board';
import { deployJobs, evaluationSet } from '../../src/core/pipeline/deploy';
import { datasetCacheName } from '../../src/core/pipeline/dataset.node';
import { loadResults } from '../../src/core/pipeline/results-store';
import { instantiateWasmRuntime } from '../../src/core/runtime/wasm-runtime';

const root = resolve(__dirname, '../..');
const config = join(root, 'conf/digits/cnn_int8.toml');
let workdir: string;

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'mote-wasm-runtime-digits-'));
  const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), config, 'preprocess_data', 'train'], { cwd: workdir, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`mote preprocess_data train exited ${r.status}\n${r.stdout}\n${r.stderr}`);
}, 600_000);

afterAll(() => rmSync(workdir, { recursive: true, force: true }));

test('the digits int8 model as a blob on the wasm runtime: bit-exact with the integer reference, same accuracy', async () => {
  const { experiment, diagnostics } = loadExperimentFile(config);
  expect(experiment, JSON.stringify(diagnostics)).toBeDefined();
  const workspace = nodeWorkspace(workdir);
  const results = await loadResults(workspace, experiment!, config);
  const bundle = (await loadBundle(datasetCacheName(experiment!.dataset), join(workdir, 'out')))!;
  const set = evaluationSet(experiment!, bundle);
  const runtime = await instantiateWasmRuntime(readFileSync(join(root, 'runtime/prebuilt/mote-runtime.wasm')));
  let checked = 0;
  for await (const job of deployJobs(experiment!, workspace, results)) {
    if (job.codegen.format === 'float32') continue;
    const row = await evaluateOnWasmRuntime(runtime, job.codegen, set, { name: job.name });
    expect(row.n).toBeGreaterThanOrEqual(50);
    expect({ bit_exact: row.bit_exact, agreement: row.agreement, first_mismatch: row.first_mismatch }).toEqual({ bit_exact: true, agreement: 1, first_mismatch: null });
    expect(row.accuracy).toBe(row.reference_accuracy);
    expect(row.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(row.rom_bytes).toBeGreaterThan(0);
    expect(row.ram_bytes).toBeGreaterThan(0);
    checked++;
  }
  expect(checked).toBeGreaterThan(0);
}, 120_000);
