// A model that does not fit the board is refused before anything is sent, with both sizes — and results.json
// says so: the board's row carries `refused` (the sentence) and what the model needs (ROM = its blob, RAM = its
// arena), with no accuracy or bit-exactness, instead of prepare_deploy's empty row. Through the real CLI, on
// the Pico (its runtime's 112 KiB blob buffer): the virtual Pico (rp2040js) and a physical Pico on a serial
// port (the refusal comes before the port is opened, so the path need not exist).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardOf } from '../../src/core/deploy/registry';
import type { BenchResults } from '../../src/core/experiments/results';

const root = resolve(__dirname, '../..');
const config = join(__dirname, 'samples/digits-too-big-for-pico.toml');
let work: string;

function mote(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'bin/mote.js'), config, ...args], { cwd: work });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}
const results = (): BenchResults => JSON.parse(readFileSync(join(work, 'logs/Digits_too_big_for_pico/results.json'), 'utf8'));

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mote-refused-'));
  const r = await mote(['preprocess_data', 'train']);
  if (r.status !== 0) throw new Error(`training failed:\n${r.stdout.slice(-3000)}\n${r.stderr}`);
}, 300_000);
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

describe('a model too big for the Pico', () => {
  it.each([
    ['VirtualPico', []],
    ['RaspberryPiPico', ['--deploy.evaluator.params.dev=/dev/mote-no-such-port']],
  ] as const)('%s: refused with both sizes, nothing sent; its results row says refused, with the sizes and no figures', async (target, extra) => {
    const holds = boardOf(target).runtime!.holds!;
    const r = await mote(['prepare_deploy', 'deploy_and_evaluate', `--deploy.target=${target}`, ...extra]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(new RegExp(`the model does not fit ${target}: the model blob is \\d+ bytes and .* holds a blob of at most ${holds.blobBytes} bytes`));
    expect(r.stderr).toContain('nothing was sent to the board');
    expect(r.stdout).not.toMatch(/loaded over/);
    const rows = results().runs.flatMap((run) => run.deploy).filter((d) => d.target === target);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    const blob = readFileSync(join(work, `out/deploy/${target}`, readdirOnly(join(work, `out/deploy/${target}`)), 'model.mtb'));
    expect(row).toMatchObject({ route: 'runtime', n: null, accuracy: null, reference_accuracy: null, agreement: null, bit_exact: null, rom_bytes: blob.length, blob_bytes: blob.length });
    expect(row.rom_bytes).toBeGreaterThan(holds.blobBytes);
    expect(row.ram_bytes).toBeGreaterThan(0);
    expect(row.macs).toBeGreaterThan(0);
    expect(row.refused).toMatch(new RegExp(`^the model does not fit ${target}: the model blob is ${blob.length} bytes`));
  }, 300_000);
});

function readdirOnly(dir: string): string {
  const entries = readdirSync(dir);
  expect(entries).toHaveLength(1);
  return entries[0];
}
