// Process hygiene (issue 11): SIGINT, SIGTERM or SIGHUP to `mote … deploy_and_evaluate` on VirtualCortexM4,
// sent while its emulator runs, must leave no child process (QEMU was reparented and kept spinning before)
// and no temporary folder. The CLI runs with its own TMPDIR so every folder it makes is counted.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/base/rng';
import { requireTools } from '../firmware/helpers';

const enabled = requireTools('arm-none-eabi-gcc', 'qemu-system-arm', 'bwrap', 'gcc');
const root = resolve(__dirname, '../..');
let workdir: string;

// Big enough per inference (32×32 input, two 32-filter convolutions: ~2.6 M MACs) that QEMU is still
// evaluating when the signal arrives; one epoch, since accuracy is not the point.
const TOML = `[bench]
name = "signals"
seed = 3
first_run = 1
last_run = 1

[learningframework]
kind = "PyTorch"

[dataset]
kind = "ImageFolder"
params.path = "pictures"
params.size = [32, 32]
params.color = "grayscale"

[[preprocessing]]
kind = "Class2BinMatrix"

[[preprocessing]]
kind = "Normalize"
params.method = "min-max"
params.axis = [0, 1, 2, 3]

[[postprocessing]]
kind = "QuantizationAwareTraining"
params.epochs = 0
params.model.params.quant_params.bits = 8
params.model.params.quant_params.quantype = "fxp"
params.model.params.quant_params.roundtype = "nearest"
params.model.params.quant_params.range_setting = "minmax"
params.model.params.quant_params.LSQ = false

[model_template]
kind = "CNN"
epochs = 1
batch_size = 32
params.dims = 2

[model_template.optimizer]
kind = "Adam"
params.lr = 0.01

[[model]]
name = "busy_cnn"
params.filters = [32, 32]
params.kernel_sizes = [3, 3]
params.paddings = [1, 1]
params.strides = [1, 1]
params.pool_sizes = [2, 0]
params.dropouts = [0, 0]
params.fc_units = []

[deploy]
target = "VirtualCortexM4"
converter.kind = "QualiaCodeGen"
quantize = ["int8"]
optimize = [""]
`;

/** pid → parent pid for every process visible in /proc. */
function processTree(): Map<number, { ppid: number; comm: string }> {
  const tree = new Map<number, { ppid: number; comm: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      tree.set(Number(name), { ppid, comm });
    } catch { /* gone meanwhile */ }
  }
  return tree;
}

function descendants(pid: number): Map<number, string> {
  const tree = processTree();
  const found = new Map<number, string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [child, { ppid, comm }] of tree) {
      if (!found.has(child) && (ppid === pid || found.has(ppid))) { found.set(child, comm); grew = true; }
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); } catch { return false; }
  // A zombie is not running; it only waits for a parent that is gone (init reaps it).
  try { return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

describe.runIf(enabled)('mote stops its boards and removes its temporary folders on a signal', () => {
  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), 'mote-signals-'));
    const rng = createRng(5);
    for (const [name, on] of Object.entries({ rows: (_x: number, y: number) => y % 4 < 2, columns: (x: number) => x % 4 < 2 })) {
      mkdirSync(join(workdir, 'pictures', name), { recursive: true });
      for (let i = 0; i < 30; i++) {
        const data = new Uint8Array(32 * 32);
        for (let p = 0; p < data.length; p++) data[p] = (on(p % 32, Math.floor(p / 32)) ? 200 : 40) + Math.round(rng.next() * 30);
        writeFileSync(join(workdir, 'pictures', name, `${i}.png`), encodePng({ width: 32, height: 32, data, channels: 1, depth: 8 }));
      }
    }
    writeFileSync(join(workdir, 'signals.toml'), TOML);
    const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), 'signals.toml', 'preprocess_data', 'train', 'prepare_deploy'], { cwd: workdir, encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`mote prepare exited ${r.status}\n${r.stderr.slice(-1500)}`);
  }, 600_000);
  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  it.each([['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const)('%s while QEMU runs: exit %i, no child left, no temporary folder left', async (signal, code) => {
    const temp = mkdtempSync(join(tmpdir(), 'mote-signals-tmp-'));
    // Like /tmp itself, others may walk it: run as root, the sandbox (bwrap as nobody) binds folders in it.
    chmodSync(temp, 0o755);
    try {
      const child = spawn(process.execPath, [join(root, 'bin/mote.js'), 'signals.toml', 'deploy_and_evaluate'], { cwd: workdir, env: { ...process.env, TMPDIR: temp }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c: Buffer) => { output += c.toString(); });
      child.stderr.on('data', (c: Buffer) => { output += c.toString(); });
      const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      let ended = false;
      void exited.then(() => { ended = true; });
      // Wait for the emulator, then remember every process below the CLI.
      let family = new Map<number, string>();
      const deadline = Date.now() + 120_000;
      while (!ended && Date.now() < deadline) {
        family = descendants(child.pid!);
        if ([...family.values()].some((comm) => comm.startsWith('qemu-system'))) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect([...family.values()].some((comm) => comm.startsWith('qemu-system')), `no QEMU seen before mote ended:\n${output}`).toBe(true);
      expect(readdirSync(temp).some((name) => name.startsWith('mote-qemu-'))).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(code);
      expect(output).toContain(`stopped by ${signal}`);
      // bwrap and QEMU die with their parent; give the kernel a moment to reap them.
      const gone = Date.now() + 5000;
      while ([...family.keys()].some(alive) && Date.now() < gone) await new Promise((r) => setTimeout(r, 50));
      expect([...family].filter(([pid]) => alive(pid)).map(([pid, comm]) => `${pid} ${comm}`)).toEqual([]);
      // (tsx, which runs the CLI, keeps its compile cache there: not ours to remove)
      expect(readdirSync(temp).filter((name) => name.startsWith('mote-'))).toEqual([]);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  }, 180_000);
});
