// ONNX through the real CLI, as a user runs it: train the digits CNN briefly with ExportONNX
// (tests/samples/experiments/onnx/export.toml), check the file with onnxruntime-web against Mote's float
// reference, then read it back as [model_template] kind = "ONNX" (import.toml: train = false, FuseBatchNorm,
// int8 PTQ) and evaluate it on VirtualCortexM4 both ways: the generated C, and (converter MoteRuntime) the
// model blob loaded over the emulated serial link into the board's prebuilt Mote Runtime — each bit-exact with
// the integer reference.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BenchResults } from '../../src/core/experiments/results';
import { decodeGraphFile } from '../../src/core/models/serialize';
import { importOnnx } from '../../src/core/models/onnx/import';
import { maxRelativeDifference, runOnnxRuntime } from '../../src/core/models/onnx/runtime';
import { nodeOnnxRuntime } from '../../src/core/models/onnx/runtime.node';
import { forwardFloat } from '../../src/core/models/reference-float';
import { randomData } from '../codegen/zoo';
import { requireTools } from '../firmware/helpers';

const root = resolve(__dirname, '../..');
const samples = join(root, 'tests/samples/experiments/onnx');
let workdir: string;

function mote(config: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), join(samples, config), ...args], { cwd: workdir, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`mote ${config} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const enabled = requireTools('arm-none-eabi-gcc', 'qemu-system-arm');

describe.runIf(enabled)('ONNX out of and into the pipeline (mote CLI)', () => {
  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), 'mote-onnx-'));
    expect(mote('export.toml', 'preprocess_data', 'train')).toContain('out/learningmodel/digits_cnn_r1.onnx');
  }, 600_000);

  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  test('ExportONNX writes the trained model; onnxruntime-web computes what Mote computes', async () => {
    const bytes = new Uint8Array(readFileSync(join(workdir, 'out/learningmodel/digits_cnn_r1.onnx')));
    const trained = decodeGraphFile(new Uint8Array(readFileSync(join(workdir, 'out/learningmodel/digits_cnn_r1.mote'))));
    const x = randomData(trained.shapes.input, 8, 3);
    const mote = forwardFloat(trained, { data: x, batch: 8 }).output;
    const ort = await runOnnxRuntime(nodeOnnxRuntime, bytes, trained.shapes.input, [10], x, 8);
    expect(maxRelativeDifference(ort.output, mote, 8)).toBeLessThan(1e-5);
    expect(forwardFloat(importOnnx(bytes), { data: x, batch: 8 }).output).toEqual(mote);
  });

  test('[model_template] kind = "ONNX" → FuseBatchNorm → int8 PTQ → C → VirtualCortexM4, bit-exact', () => {
    mote('import.toml', 'preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate');
    const imported: BenchResults = JSON.parse(readFileSync(join(workdir, 'logs/Digits_ONNX_import/results.json'), 'utf8'));
    const exported: BenchResults = JSON.parse(readFileSync(join(workdir, 'logs/Digits_ONNX_export/results.json'), 'utf8'));
    const run = imported.runs[0];
    expect(run.model).toBe('imported_fused_q8_force_qoff_e0_LSQFalse');
    expect(run.train?.epochs).toBe(0);
    // The weights came from the file: the same float test accuracy as the run that wrote it.
    expect(run.train?.metrics.test_acc).toBe(exported.runs[0].train?.metrics.test_acc);
    const row = run.deploy.find((d) => d.target === 'VirtualCortexM4')!;
    expect(row.n).toBe(60);
    expect(row.bit_exact).toBe(true);
    expect(row.agreement).toBe(1);
  }, 600_000);

  test('the same import on the runtime route (converter MoteRuntime): the blob on the VirtualCortexM4 runtime, bit-exact', () => {
    const out = mote('import.toml', 'prepare_deploy', 'deploy_and_evaluate', '--deploy.converter.kind=MoteRuntime');
    expect(out).toMatch(/VirtualCortexM4: model blob of \d+ bytes loaded over the emulated serial link/);
    const imported: BenchResults = JSON.parse(readFileSync(join(workdir, 'logs/Digits_ONNX_import/results.json'), 'utf8'));
    const rows = imported.runs[0].deploy.filter((d) => d.target === 'VirtualCortexM4');
    const row = rows[rows.length - 1];
    const blob = readFileSync(join(workdir, 'out/deploy/VirtualCortexM4/imported_fused_q8_force_qoff_e0_LSQFalse_qint8_o_c1_r1/model.mtb'));
    expect(row.rom_bytes).toBe(blob.length);
    expect({ n: row.n, bit_exact: row.bit_exact, agreement: row.agreement }).toEqual({ n: 60, bit_exact: true, agreement: 1 });
    expect(row.accuracy).toBe(row.reference_accuracy);
  }, 600_000);

  test('a missing params.path names the model and the file', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), join(samples, 'import.toml'), 'train', '--model.0.params.path=out/none.onnx'], { cwd: workdir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("model 'imported': out/none.onnx does not exist");
  });
});
