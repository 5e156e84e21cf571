// The default experiment through the real CLI, as a user runs it: preprocess, train, quantize, generate C,
// then evaluate on every target that needs no hardware. Each target must agree bit for bit with Mote's
// TypeScript reference on ≥ 50 vectors, with on-target accuracy ≥ 0.90 (issue: firmware and evaluation).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BenchResults } from '../../src/core/experiments/results';

const root = resolve(__dirname, '../..');
const config = join(root, 'conf/digits/cnn_int8.toml');
let workdir: string;

function mote(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), config, ...args], { cwd: workdir, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`mote ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function results(): BenchResults {
  return JSON.parse(readFileSync(join(workdir, 'logs/Digits_CNN_int8/results.json'), 'utf8'));
}

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'mote-digits-'));
  const out = mote('preprocess_data', 'train');
  expect(out).toContain('Digits: 10 classes');
}, 600_000);

afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe('conf/digits/cnn_int8.toml end to end', () => {
  test('float training reaches ≥ 0.95 test accuracy, recorded in results.json', () => {
    const run = results().runs[0];
    expect(run.model).toBe('digits_cnn_fused_q8_force_qoff_e0_LSQFalse');
    expect(run.config_model).toBe('digits_cnn');
    expect(run.train?.backend).toBe('wasm');
    expect(run.train?.metrics.test_acc).toBeGreaterThanOrEqual(0.95);
  });

  test.each(['Linux', 'Wasm', 'VirtualCortexM4'])('%s: int8 on-target accuracy ≥ 0.90 on ≥ 50 vectors, bit-exact', (target) => {
    mote('prepare_deploy', 'deploy_and_evaluate', `--deploy.target=${target}`);
    const row = results().runs[0].deploy.find((d) => d.target === target)!;
    expect(row).toBeDefined();
    expect(row.quantize).toBe('int8');
    expect(row.n).toBeGreaterThanOrEqual(50);
    expect(row.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(row.agreement).toBe(1);
    expect(row.bit_exact).toBe(true);
    expect(row.macs).toBeGreaterThan(0);
    if (target !== 'Wasm') expect(row.rom_bytes).toBeGreaterThan(0); // a wasm module has no flash image
    if (target === 'VirtualCortexM4') {
      expect(row.instructions_per_inference).toBeGreaterThan(row.macs!);
      // The Cortex-M4 cycle estimate beside the exact count: loads and taken branches cost more than 1.
      expect(row.estimated_cycles_per_inference).toBeGreaterThan(row.instructions_per_inference!);
    } else expect(row.estimated_cycles_per_inference ?? null).toBeNull();
  }, 600_000);

  test('train in an empty folder explains what to run first', () => {
    const empty = mkdtempSync(join(tmpdir(), 'mote-empty-'));
    const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), config, 'train'], { cwd: empty, encoding: 'utf8' });
    rmSync(empty, { recursive: true, force: true });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("out/data/Digits/ not found. Did you run 'preprocess_data'?");
  });
});
