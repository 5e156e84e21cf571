import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main';

const root = resolve(__dirname, '../..');
const sharedConf = resolve(root, '../shared/qualia-conf');

function runMote(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the mote command', () => {
  test('--help prints usage and exits 0; no arguments exits 2', () => {
    const help = runMote(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: mote CONFIG.toml ACTION');
    expect(runMote([]).status).toBe(2);
  });

  test('argument mistakes are named and exit 2', () => {
    const r = runMote(['validate', 'conf/digits/cnn_int8.toml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("'validate' is an action; the configuration file comes first");
    const bad = runMote(['conf/digits/cnn_int8.toml', 'trian', '--bench.name']);
    expect(bad.stderr).toContain("unknown action 'trian'");
    expect(bad.stderr).toContain("override '--bench.name' has no value");
  });

  test('a missing file exits 2 with its name', () => {
    const r = runMote(['no/such.toml', 'validate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no/such.toml:1:1: error: cannot read the experiment: no such file');
  });

  test('overrides reach the experiment (Qualia quoting and bare strings)', () => {
    const file = join(root, 'conf/digits/cnn_int8.toml');
    const bare = runMote([file, 'validate', '--bench.name=FromCli']);
    const quoted = runMote([file, 'validate', `--bench.name='"FromCli"'`]);
    expect(bare.status).toBe(0);
    expect(quoted.status).toBe(0);
    const wrong = runMote([file, 'validate', '--bench.seed=abc']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/<command line>:1:\d+: error: bench\.seed: expected an integer/);
  });

  test('share prints a #toml= link for the file', () => {
    const r = runMote([join(root, 'conf/digits/cnn_int8.toml'), 'share', '--app-url=https://mote.example/']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^https:\/\/mote\.example\/#toml=[A-Za-z0-9_-]+$/);
  });
});

// Qualia's own verdict on each shared config (INDEX.tsv): valid → exit 0, the auxiliary mapping → exit 2,
// stale → the stale key named in a warning or an error.
describe.runIf(existsSync(sharedConf))('validate gives Qualia\'s verdict on every shared config', () => {
  // Read only when the folder exists: a skipped describe still runs its body to collect tests.
  const rows = existsSync(sharedConf) ? readFileSync(join(sharedConf, 'INDEX.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t')) : [];
  test.each(rows.map((r) => [r[0], r[6]] as const))('%s', async (path, status) => {
    const errors: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { errors.push(a.join(' ')); });
    try {
      const code = await main([join(sharedConf, path), 'validate']);
      if (status === 'valid') expect(code, errors.join('\n')).toBe(0);
      else if (status.startsWith('auxiliary')) {
        expect(code).toBe(2);
        expect(errors.join('\n')).toContain('not an experiment');
      } else {
        const match = /params\.model\.params\.(\w+)|unknown param (\w+)/.exec(status);
        const leaf = match?.[1] ?? match?.[2];
        expect(leaf, `INDEX status names no stale key: ${status}`).toBeTruthy();
        expect(errors.some((e) => e.includes(leaf!) && /warning|error/.test(e)), errors.join('\n')).toBe(true);
      }
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  });
});

test('the bin is executable through npx', () => {
  const out = execFileSync('npx', ['--no-install', 'mote', '--help'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  expect(out).toContain('Usage: mote');
});

// The real Fashion-MNIST from Debian's dataset-fashion-mnist (installed by scripts/install-system-packages.sh).
test.runIf(existsSync('/usr/share/datasets/fashion-mnist') || process.env.CI)('preprocess_data on the real Fashion-MNIST prints the set sizes before and after splitting', () => {
  const work = mkdtempSync(join(tmpdir(), 'mote-fashion-'));
  try {
    const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), join(root, 'conf/fashionmnist/cnn_int8.toml'), 'preprocess_data'], { cwd: work, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/imported FashionMNIST: 10 classes\n\s+train\s+60000 samples of \[28, 28, 1\]\n\s+test\s+10000 samples/);
    expect(r.stdout).toMatch(/after \[\[preprocessing\]\][^\n]*\n\s+train\s+54000 samples[^\n]*\n\s+valid\s+6000 samples[^\n]*\n\s+test\s+10000 samples/);
    expect(r.stdout).toMatch(/Ankle boot\s+6000\s+1000/);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
