// The runtime route (converter MoteRuntime) for the two other networks of issue 12's first "must show", through
// the real CLI: Qualia's own UCI-HAR ResNetv1-8 configs (int8 and int16; the .pth weights they load are
// replaced by a short training, as in qualia-uci-har.test.ts) on a fixture in the exact UCI HAR layout, and
// Mote's Fashion-MNIST CNN (conf/fashionmnist/cnn_int8.toml) on a fixture in the original idx.gz files — each
// trained once (preprocess_data train prepare_deploy deploy_and_evaluate on Wasm), then prepare_deploy +
// deploy_and_evaluate on VirtualCortexM4, VirtualRV32 (QEMU) and VirtualPico (rp2040js) from a copy of the
// trained work folder, so the boards run side by side. Every row: route runtime, bit-exact, agreement 1,
// accuracy = the integer reference's, ROM = the model.mtb written for that board. The Fashion CNN in int16
// (a 213 kB blob) does not fit the Pico's runtime (112 KiB blob buffer): refused with both sizes, nothing sent.
// Fewer vectors on the slow paths (QEMU's serial link loads ~6 kB/s; rp2040js runs ~8 M cycles/s).
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findSymbol, parseElf } from '../../src/core/deploy/elf';
import { boardOf } from '../../src/core/deploy/registry';
import type { BenchResults, DeployResult } from '../../src/core/experiments/results';
import { fashionMnistFiles, uciHarFiles, uciRawLearnable } from '../data/fixtures';
import { requireTools } from '../firmware/helpers';

const root = resolve(__dirname, '../..');
const qualiaTests = resolve(root, '../shared/qualia-conf/qualia-core/conf/tests');
let workdir: string;

interface Network {
  bench: string;
  config: string;
  model: string;
  quantize: 'int8' | 'int16';
  train: string[];
  /** Test vectors per target (deploy.limit); the fixture's test set when absent. */
  limit: Partial<Record<Target, number>>;
  vectors: number;
  minAccuracy: number;
  /** Targets to run after training on Wasm. */
  boards: Target[];
}
type Target = 'Wasm' | 'VirtualCortexM4' | 'VirtualRV32' | 'VirtualPico';

const uci = (quantize: 'int8' | 'int16', file: string, model: string, boards: Target[]): Network => ({
  bench: `uci_${quantize}`, config: join(qualiaTests, file), model, quantize, vectors: 60, minAccuracy: 0.5, boards, limit: {},
  train: ['--model_template.load=false', '--model_template.train=true', '--model_template.epochs=8', '--model_template.optimizer.params.lr=0.01'],
});
const networks: Record<string, Network> = {
  'UCI-HAR ResNetv1-8 int8': uci('int8', 'UCI-HAR_ResNetv1_QualiaCodeGen_Linux_int8_directpytorch.toml', 'uci-har_resnetv1_8_q8_force_qoff_e1_LSQFalse', ['VirtualCortexM4', 'VirtualRV32', 'VirtualPico']),
  'UCI-HAR ResNetv1-8 int16': uci('int16', 'UCI-HAR_ResNetv1_QualiaCodeGen_Linux_int16.toml', 'uci-har_resnetv1_8_q16_force_q9_e0_LSQFalse', ['VirtualCortexM4', 'VirtualRV32', 'VirtualPico']),
  'Fashion-MNIST CNN int8': {
    bench: 'fashion_int8', config: join(root, 'conf/fashionmnist/cnn_int8.toml'), model: 'fashionmnist_cnn_fused_q8_force_qoff_e0_LSQFalse', quantize: 'int8',
    train: ['--model_template.epochs=2'], vectors: 100, minAccuracy: 0.8, boards: ['VirtualCortexM4', 'VirtualRV32', 'VirtualPico'],
    limit: { VirtualCortexM4: 40, VirtualRV32: 40, VirtualPico: 10 },
  },
  'Fashion-MNIST CNN int16': {
    bench: 'fashion_int16', config: join(root, 'conf/fashionmnist/cnn_int8.toml'), model: 'fashionmnist_cnn_fused_q16_force_qoff_e0_LSQFalse', quantize: 'int16',
    train: ['--model_template.epochs=2', '--postprocessing.1.params.model.params.quant_params.bits=16', '--deploy.quantize.0=int16'], vectors: 100, minAccuracy: 0.8, boards: [],
    limit: {},
  },
};

function dataArgs(net: Network): string[] {
  return [net.bench.startsWith('uci') ? `--dataset.params.path=${join(workdir, 'uci/UCI HAR Dataset')}` : `--dataset.params.path=${join(workdir, 'fashion')}`, `--bench.name=${net.bench}`];
}

/** The CLI as a child process (asynchronous, so boards run side by side). */
function mote(cwd: string, config: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'bin/mote.js'), config, ...args], { cwd });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

async function ok(cwd: string, config: string, args: string[]): Promise<string> {
  const r = await mote(cwd, config, args);
  if (r.status !== 0) throw new Error(`mote ${args.join(' ')} exited ${r.status}\n${r.stdout.slice(-4000)}\n${r.stderr}`);
  return r.stdout;
}

const benchDir = (name: string) => join(workdir, name);
const blobOf = (dir: string, net: Network, target: Target) => readFileSync(join(dir, `out/deploy/${target}/${net.model}_q${net.quantize}_o_c1_r1/model.mtb`));

function rowOf(dir: string, net: Network, target: Target): DeployResult {
  const results: BenchResults = JSON.parse(readFileSync(join(dir, `logs/${net.bench}/results.json`), 'utf8'));
  const found = results.runs.flatMap((run) => run.deploy).filter((d) => d.target === target);
  expect(found).toHaveLength(1);
  return found[0];
}

function expectRuntimeRow(dir: string, net: Network, target: Target) {
  const row = rowOf(dir, net, target);
  const blob = blobOf(dir, net, target);
  expect({ target: row.target, quantize: row.quantize, route: row.route, n: row.n, bit_exact: row.bit_exact, agreement: row.agreement })
    .toEqual({ target, quantize: net.quantize, route: 'runtime', n: net.limit[target] ?? net.vectors, bit_exact: true, agreement: 1 });
  expect(row.accuracy).toBe(row.reference_accuracy);
  expect(row.rom_bytes).toBe(blob.length);
  expect(row.blob_bytes).toBe(blob.length);
  expect(row.ram_bytes).toBeGreaterThan(0);
  expect(row.macs).toBeGreaterThan(0);
  if (target === 'VirtualPico') expect(row.cycles_per_inference).toBeGreaterThan(row.macs!);
  else if (target !== 'Wasm') expect(row.instructions_per_inference).toBeGreaterThan(row.macs!);
  return row;
}

const trained: Record<string, Promise<string>> = {};

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'mote-runtime-networks-'));
  const write = (dir: string, files: Record<string, Uint8Array>) => {
    for (const [path, bytes] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
  };
  write(join(workdir, 'uci'), uciHarFiles({ train: 120, test: 60 }, undefined, uciRawLearnable));
  write(join(workdir, 'fashion'), fashionMnistFiles({ train: 200, test: 100 }));
  // Every network trains (and runs on Wasm) once, all at the same time; the tests below wait for theirs.
  for (const [name, net] of Object.entries(networks)) {
    if (!existsSync(net.config)) continue;
    const dir = benchDir(net.bench);
    mkdirSync(dir);
    trained[name] = ok(dir, net.config, ['preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate', ...dataArgs(net), ...net.train, '--deploy.target=Wasm', '--deploy.converter.kind=MoteRuntime']);
    trained[name].catch(() => undefined); // reported by the test that awaits it
  }
});
afterAll(() => rmSync(workdir, { recursive: true, force: true }));

describe.runIf(existsSync(qualiaTests) || process.env.CI)('the runtime route for the UCI-HAR ResNetv1-8 and the Fashion-MNIST CNN', () => {
  describe.concurrent.each(Object.keys(networks))('%s', (name) => {
    const net = networks[name];

    test('preprocess_data train prepare_deploy deploy_and_evaluate on Wasm: bit-exact, reference accuracy', async () => {
      const out = await trained[name];
      expect(out).toContain('runtime route');
      const row = expectRuntimeRow(benchDir(net.bench), net, 'Wasm');
      expect(row.reference_accuracy).toBeGreaterThanOrEqual(net.minAccuracy);
    }, 300_000);

    test.runIf(net.boards.length > 0 && requireTools('qemu-system-arm', 'qemu-system-riscv32', 'gcc'))
      .each(net.boards)('then on %s: the blob over the emulated link, bit-exact, reference accuracy', async (target) => {
        await trained[name];
        const dir = benchDir(`${net.bench}-${target}`);
        cpSync(benchDir(net.bench), dir, { recursive: true });
        const limit = net.limit[target] ? [`--deploy.limit=${net.limit[target]}`] : [];
        const out = await ok(dir, net.config, ['prepare_deploy', 'deploy_and_evaluate', ...dataArgs(net), ...net.train, ...limit, `--deploy.target=${target}`, '--deploy.converter.kind=MoteRuntime']);
        expect(out).toMatch(new RegExp(`${target}: model blob of \\d+ bytes loaded over (the emulated serial link|UART0)`));
        expectRuntimeRow(dir, net, target);
      }, 400_000);
  });

  test("the Fashion-MNIST CNN in int16 does not fit the Pico's runtime: refused with both sizes, nothing sent", async () => {
    const net = networks['Fashion-MNIST CNN int16'];
    await trained['Fashion-MNIST CNN int16'];
    const holds = boardOf('VirtualPico').runtime!.holds!;
    // The declared buffers are the image's own.
    const elf = parseElf(readFileSync(join(root, 'runtime/prebuilt/mote-runtime-rp2040.elf')));
    expect({ blobBytes: findSymbol(elf, 'blob')?.size, arenaBytes: findSymbol(elf, 'arena')?.size }).toEqual(holds);
    const dir = benchDir(`${net.bench}-VirtualPico`);
    cpSync(benchDir(net.bench), dir, { recursive: true });
    const r = await mote(dir, net.config, ['prepare_deploy', 'deploy_and_evaluate', ...dataArgs(net), ...net.train, '--deploy.target=VirtualPico', '--deploy.converter.kind=MoteRuntime']);
    expect(r.status).not.toBe(0);
    const blob = blobOf(dir, net, 'VirtualPico');
    expect(blob.length).toBeGreaterThan(holds.blobBytes);
    expect(r.stderr).toContain(`the model does not fit VirtualPico: the model blob is ${blob.length} bytes and`);
    expect(r.stderr).toContain(`holds a blob of at most ${holds.blobBytes} bytes`);
    expect(r.stderr).toContain('nothing was sent to the board');
    expect(r.stdout).not.toContain('loaded over UART0');
  }, 300_000);
});
