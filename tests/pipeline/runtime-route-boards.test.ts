// The runtime route on the emulated MCU boards through the real CLI: the default digits experiment's runtime
// conf (converter MoteRuntime) with --deploy.target=VirtualCortexM4, =VirtualRV32 (QEMU) and =VirtualPico
// (rp2040js, UART0) — the model blob loaded over the emulated serial link into each board's prebuilt Mote
// Runtime image — gives results.json rows with accuracy equal to the integer reference's, bit-exact, the
// board's counter (exact instructions on QEMU, SysTick cycles on the Pico), the blob as ROM and its arena as
// RAM, and each board's dialect (cortex-m packed weights on the M4, portable on RV32 and the M0+). One
// training for all three (CI time); few epochs: the route, not the training, is under test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BenchResults, DeployResult } from '../../src/core/experiments/results';
import { requireTools } from '../firmware/helpers';

const root = resolve(__dirname, '../..');
const config = join(root, 'conf/digits/cnn_int8_runtime.toml');
const model = 'digits_cnn_fused_q8_force_qoff_e0_LSQFalse';
let workdir: string;

function mote(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), config, ...args], { cwd: workdir, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`mote exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function row(target: string): DeployResult {
  const results: BenchResults = JSON.parse(readFileSync(join(workdir, 'logs/Digits_CNN_int8_runtime/results.json'), 'utf8'));
  const found = results.runs.flatMap((run) => run.deploy).filter((d) => d.target === target);
  expect(found).toHaveLength(1);
  return found[0];
}

beforeAll(() => { workdir = mkdtempSync(join(tmpdir(), 'mote-runtime-qemu-')); });
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe.runIf(requireTools('qemu-system-arm', 'qemu-system-riscv32', 'gcc'))('converter MoteRuntime on the emulated MCU boards', () => {
  for (const [target, layout, first] of [['VirtualCortexM4', 'cortex-m', true], ['VirtualRV32', 'c99', false], ['VirtualPico', 'c99', false]] as const) {
    test(`--deploy.target=${target}: blob over the emulated link, bit-exact, reference accuracy, the board's counter`, () => {
      const stages = first ? ['preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate', '--model_template.epochs=4'] : ['prepare_deploy', 'deploy_and_evaluate'];
      const out = mote(...stages, `--deploy.target=${target}`);
      expect(out).toContain(`${layout} layout) for ${target}`);
      expect(out).toMatch(new RegExp(`${target}: model blob of \\d+ bytes loaded over (the emulated serial link|UART0)`));
      const r = row(target);
      expect({ n: r.n, bit_exact: r.bit_exact, agreement: r.agreement }).toEqual({ n: 100, bit_exact: true, agreement: 1 });
      expect(r.accuracy).toBe(r.reference_accuracy);
      expect(r.accuracy).toBeGreaterThanOrEqual(0.85);
      expect(r.rom_bytes).toBe(readFileSync(join(workdir, `out/deploy/${target}/${model}_qint8_o_c1_r1/model.mtb`)).length);
      expect(r.ram_bytes).toBeGreaterThan(0);
      if (target === 'VirtualPico') expect(r.cycles_per_inference).toBeGreaterThan(r.macs!);
      else expect(r.instructions_per_inference).toBeGreaterThan(r.macs!);
    }, 400_000);
  }
});
