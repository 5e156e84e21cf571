// onnxruntime-web as the independent float reference of every run: `mote … train` on the default experiment
// writes, per run, how often onnxruntime-web picks the same class as Mote's float reference on the test
// vectors the boards get, and the largest relative difference; a model with no ONNX form, or a place with no
// runtime, gets a note instead of a crash.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { BenchResults } from '../../src/core/experiments/results';
import type { ModelGraph } from '../../src/core/models/graph';
import { nodeOnnxRuntime } from '../../src/core/models/onnx/runtime.node';
import { onnxFloatReference } from '../../src/core/pipeline/onnx-reference';
import { randomData, zoo } from '../codegen/zoo';

const root = resolve(__dirname, '../..');
const workdir = mkdtempSync(join(tmpdir(), 'mote-onnx-reference-'));
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('onnx_agreement and onnx_max_rel_diff in results.json', () => {
  test('conf/digits/cnn_int8.toml (2 epochs): onnxruntime-web agrees with Mote on every test vector', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), join(root, 'conf/digits/cnn_int8.toml'), 'preprocess_data', 'train', '--model_template.epochs=2'], { cwd: workdir, encoding: 'utf8', timeout: 600_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(r.stdout).toMatch(/onnxruntime-web on the float model: same class as Mote's float reference on 100\.00 % of 100 test vectors/);
    const results: BenchResults = JSON.parse(readFileSync(join(workdir, 'logs/Digits_CNN_int8/results.json'), 'utf8'));
    const run = results.runs[0];
    expect(run.onnx_n).toBe(100); // deploy.limit: the vectors the boards get
    expect(run.onnx_agreement).toBe(1);
    expect(run.onnx_max_rel_diff).toBeLessThan(1e-4);
    expect(run.onnx_note).toBeNull();
  }, 600_000);

  const test8 = (graph: ModelGraph) => ({ x: randomData(graph.shapes.input, 8, 5), labels: new Int32Array(8), count: 8, shape: graph.shapes.input });

  test('without a runtime, or for a model with no ONNX form, the figures are null and a note says why', async () => {
    const graph = zoo[Object.keys(zoo)[0]]();
    expect(await onnxFloatReference(graph, test8(graph), undefined)).toEqual({ onnx_n: null, onnx_agreement: null, onnx_max_rel_diff: null, onnx_note: expect.stringMatching(/no ONNX runtime in this environment/) });
    // A fused activation that no layer kind folds as has no ONNX operator.
    const odd = { ...graph, layers: graph.layers.map((l) => ('activation' in l ? { ...l, activation: 'swish' } : l)) } as ModelGraph;
    const figures = await onnxFloatReference(odd, test8(graph), nodeOnnxRuntime);
    expect(figures.onnx_agreement).toBeNull();
    expect(figures.onnx_note).toMatch(/cannot be written as ONNX \(no layer kind folds as the activation 'swish'/);
  });
});
