// The runtime route through the real CLI: converter MoteRuntime makes prepare_deploy write the model blob
// (no C), and deploy_and_evaluate runs it on the Wasm board's prebuilt Mote Runtime image — accuracy equal
// to the integer reference's, every raw output equal (bit-exact), the blob's size as ROM and its arena as RAM
// in results.json. Both ways in: the runtime conf file, and the default conf with command-line overrides.
// A board without a runtime image is refused in plain words naming the alternative. Few epochs: the route,
// not the training, is under test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BenchResults, DeployResult } from '../../src/core/experiments/results';

const root = resolve(__dirname, '../..');
const runtimeConfig = join(root, 'conf/digits/cnn_int8_runtime.toml');
const defaultConfig = join(root, 'conf/digits/cnn_int8.toml');
const model = 'digits_cnn_fused_q8_force_qoff_e0_LSQFalse';
const blobPath = `out/deploy/Wasm/${model}_qint8_o_c1_r1/model.mtb`;
let workdir: string;

function mote(config: string, ...args: string[]) {
  return spawnSync(process.execPath, [join(root, 'bin/mote.js'), config, ...args], { cwd: workdir, encoding: 'utf8', timeout: 600_000 });
}

function ok(r: ReturnType<typeof mote>): string {
  if (r.status !== 0) throw new Error(`mote exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function deployRows(bench: string): DeployResult[] {
  const results: BenchResults = JSON.parse(readFileSync(join(workdir, `logs/${bench}/results.json`), 'utf8'));
  return results.runs.flatMap((run) => run.deploy);
}

function expectRuntimeRow(row: DeployResult | undefined) {
  expect(row).toBeDefined();
  expect({ target: row!.target, quantize: row!.quantize, n: row!.n, bit_exact: row!.bit_exact, agreement: row!.agreement })
    .toEqual({ target: 'Wasm', quantize: 'int8', n: 100, bit_exact: true, agreement: 1 });
  expect(row!.accuracy).toBe(row!.reference_accuracy);
  expect(row!.accuracy).toBeGreaterThanOrEqual(0.85);
  // ROM is the blob as written by prepare_deploy; RAM the activation arena the runtime reported.
  expect(row!.rom_bytes).toBe(readFileSync(join(workdir, blobPath)).length);
  expect(row!.ram_bytes).toBeGreaterThan(0);
  expect(row!.macs).toBeGreaterThan(0);
  // Which route ran, the model hash the runtime read (the blob's closing CRC-32) and the blob's size.
  const blob = readFileSync(join(workdir, blobPath));
  expect(row!.route).toBe('runtime');
  expect(row!.blob_bytes).toBe(blob.length);
  expect(row!.model_crc).toBe(`0x${blob.readUInt32LE(blob.length - 4).toString(16).padStart(8, '0')}`);
}

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'mote-runtime-route-'));
}, 60_000);

afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('converter MoteRuntime on the Wasm board', () => {
  test('conf/digits/cnn_int8_runtime.toml: the blob, no C, bit-exact on the wasm runtime', () => {
    const out = ok(mote(runtimeConfig, 'preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate', '--model_template.epochs=4'));
    expect(out).toContain(`${blobPath}: model blob of`);
    expect(out).toContain('runtime route');
    expect(existsSync(join(workdir, blobPath))).toBe(true);
    expect(readFileSync(join(workdir, blobPath)).subarray(0, 4).toString('latin1')).toBe('MOTB');
    expect(existsSync(join(workdir, 'out/qualia_codegen'))).toBe(false);
    const rows = deployRows('Digits_CNN_int8_runtime');
    expect(rows).toHaveLength(1);
    expectRuntimeRow(rows[0]);
  }, 300_000);

  test('the default conf with --deploy.target=Wasm --deploy.converter.kind=MoteRuntime takes the same route', () => {
    ok(mote(defaultConfig, 'train', 'prepare_deploy', 'deploy_and_evaluate', '--model_template.epochs=4', '--deploy.target=Wasm', '--deploy.converter.kind=MoteRuntime'));
    expectRuntimeRow(deployRows('Digits_CNN_int8').find((row) => row.target === 'Wasm'));
  }, 300_000);

  test('a board without a runtime image is refused, naming the generated-C route and the boards that have one', () => {
    const r = mote(runtimeConfig, 'prepare_deploy', '--deploy.target=Linux');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/target Linux \(.*\) has no Mote Runtime image/);
    expect(r.stderr).toContain('converter.kind = "QualiaCodeGen"');
    expect(r.stderr).toMatch(/runs the Mote Runtime \(.*Wasm.*\)/);
  }, 120_000);

  test('float32 stays on the generated-C route, said in plain words', () => {
    const r = mote(runtimeConfig, 'prepare_deploy', '--deploy.quantize=["float32"]');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('the Mote Runtime runs int8 and int16 models only');
  }, 120_000);
});
