// "Loses nothing": the real CLI (`mote CONFIG deploy_and_evaluate --deploy.target=RaspberryPiPico
// --deploy.evaluator.params.dev=…`) with the cable pulled mid-evaluation. The board is the Pico's prebuilt runtime
// UF2 booted in rp2040js behind python3's pty (tests/boards/pty-bridge.ts), the cable pulled once the host has sent
// the whole model blob and part of the vectors. The stage fails with the plain-words sentence; results.json keeps
// every earlier row as it was (the training record, a VirtualPico row measured before) and the Pico's row stays
// prepare_deploy's empty one (no half result); the experiment file is untouched; plugged back (a fresh board on a
// new port) the same command evaluates bit-exact, and the earlier rows are still as they were. And a model blob
// damaged on disk after prepare_deploy (its CRC-32 no longer matches) is refused before any board is opened,
// saying to run prepare_deploy again, results.json untouched; after prepare_deploy the board evaluates it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boardOf } from '../../src/core/deploy/registry';
import { readUf2 } from '../../src/core/deploy/formats/uf2';
import { startVirtualPico } from '../../src/core/deploy/targets/rp2040/rp2040js-board';
import type { BenchResults } from '../../src/core/experiments/results';
import { requireTools } from '../firmware/helpers';
import { moteAsNobody, otherUser } from './other-user';
import { openPtyBridge } from './pty-bridge';

const root = resolve(__dirname, '../..');
const config = join(__dirname, 'samples/digits-pico-unplug.toml');
const configText = readFileSync(config, 'utf8');
const uf2 = readUf2(new Uint8Array(readFileSync(join(root, 'runtime/prebuilt', boardOf('RaspberryPiPico').runtime!.image))));
let work: string;

/** Runs the CLI; one that has not finished in `limitMs` is killed, so a hang fails with what it said. */
function mote(args: string[], limitMs = 120_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(root, 'bin/mote.js'), config, ...args], { cwd: work });
    let stdout = '', stderr = '';
    const timer = setTimeout(() => { stderr += `\n[killed after ${limitMs} ms]`; child.kill('SIGKILL'); }, limitMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => { clearTimeout(timer); done({ status, stdout, stderr }); });
  });
}
const resultsText = () => readFileSync(join(work, 'logs/Digits_pico_unplug/results.json'), 'utf8');
const results = (): BenchResults => JSON.parse(resultsText());
const rowsOf = (target: string) => results().runs.flatMap((run) => run.deploy).filter((d) => d.target === target);

/** deploy_and_evaluate on a Pico behind a new pty; `pullAfter` bytes from the host pull the cable. */
async function evaluateOnPico(pullAfter?: number) {
  const board = startVirtualPico(uf2.image);
  let written = 0;
  let pulled = false;
  const bridge = await openPtyBridge((bytes) => {
    written += bytes.length;
    if (pullAfter !== undefined && written >= pullAfter && !pulled) { pulled = true; void bridge.close(); return; }
    board.transport.write(bytes).catch(() => undefined);
  });
  board.transport.onData((chunk) => { if (!pulled) bridge.toPort(chunk); });
  try {
    const r = await mote(['deploy_and_evaluate', '--deploy.target=RaspberryPiPico', `--deploy.evaluator.params.dev=${bridge.path}`], 60_000);
    return { ...r, written, pulled };
  } finally {
    await bridge.close();
    await board.stop().catch(() => undefined);
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'mote-unplug-'));
  const r = await mote(['preprocess_data', 'train']);
  if (r.status !== 0) throw new Error(`training failed:\n${r.stdout.slice(-3000)}\n${r.stderr}`);
}, 300_000);
afterAll(() => { if (work) rmSync(work, { recursive: true, force: true }); });

describe.runIf(requireTools('python3', 'stty'))('the cable pulled mid-evaluation through the CLI loses nothing', () => {
  it('fails in plain words; results.json and the experiment as they were; plugged back, the same command evaluates bit-exact', async () => {
    const virtual = await mote(['prepare_deploy', 'deploy_and_evaluate', '--deploy.target=VirtualPico']);
    expect(virtual.status, virtual.stderr).toBe(0);
    const prepared = await mote(['prepare_deploy', '--deploy.target=RaspberryPiPico']);
    expect(prepared.status, prepared.stderr).toBe(0);
    const before = resultsText();
    const [virtualRow] = rowsOf('VirtualPico');
    expect(virtualRow).toMatchObject({ n: 40, bit_exact: true });
    expect(rowsOf('RaspberryPiPico')).toMatchObject([{ n: null, accuracy: null, bit_exact: null }]);
    const dir = join(work, 'out/deploy/RaspberryPiPico');
    const blob = readFileSync(join(dir, readdirSync(dir)[0], 'model.mtb'));

    // 64 int8 values a vector, 16 a batch: the cable goes during the second batch, after the blob.
    const failed = await evaluateOnPico(blob.length + 1500);
    expect(failed.pulled, `${failed.stdout}\n${failed.stderr}`).toBe(true);
    expect(failed.stderr).not.toContain('[killed after');
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/RaspberryPiPico: the board connection was lost: the connection to the board closed during the evaluation \(.*\) after \d+ of 40 vectors\. Plug the board back in \(or close the other program using its port\) and evaluate again; nothing from this attempt was recorded, earlier results are kept/);
    expect(resultsText()).toBe(before);
    expect(readFileSync(config, 'utf8')).toBe(configText);

    const again = await evaluateOnPico();
    expect(again.status, again.stderr).toBe(0);
    expect(rowsOf('RaspberryPiPico')).toMatchObject([{ n: 40, bit_exact: true, agreement: 1, rom_bytes: blob.length }]);
    expect(rowsOf('VirtualPico')).toEqual([virtualRow]);
  }, 300_000);

  it('a model blob damaged on disk: refused before the board is opened, run prepare_deploy again; results.json untouched', async () => {
    const prepared = await mote(['prepare_deploy', '--deploy.target=VirtualPico']);
    expect(prepared.status, prepared.stderr).toBe(0);
    const dir = join(work, 'out/deploy/VirtualPico');
    const file = join(dir, readdirSync(dir)[0], 'model.mtb');
    const good = readFileSync(file);
    const damaged = Buffer.from(good);
    damaged[damaged.length >> 1] ^= 0x20; // one bit of one weight
    writeFileSync(file, damaged);
    const before = resultsText();
    const refused = await mote(['deploy_and_evaluate', '--deploy.target=VirtualPico']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/out\/deploy\/VirtualPico\/[^/]+\/model\.mtb is damaged: its contents no longer match its CRC-32 \(0x[0-9a-f]{8} stored, 0x[0-9a-f]{8} computed\)\. Run 'prepare_deploy' again to write it afresh; nothing was sent to the board/);
    expect(refused.stdout).not.toMatch(/loaded over/);
    expect(resultsText()).toBe(before);
    const again = await mote(['prepare_deploy', 'deploy_and_evaluate', '--deploy.target=VirtualPico']);
    expect(again.status, again.stderr).toBe(0);
    expect(readFileSync(file)).toEqual(good);
    expect(rowsOf('VirtualPico')).toMatchObject([{ n: 40, bit_exact: true }]);
  }, 300_000);

  it.runIf(otherUser)('a port this user may not open (not in the dialout group): says so with the usermod line; results.json untouched', async () => {
    const bridge = await openPtyBridge(() => undefined);
    try {
      expect(spawnSync('chmod', ['-R', 'a+rwX', work]).status).toBe(0); // the workspace is nobody's too; the port is not
      const before = resultsText();
      const r = await moteAsNobody([config, 'deploy_and_evaluate', '--deploy.target=RaspberryPiPico', `--deploy.evaluator.params.dev=${bridge.path}`], work);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/RaspberryPiPico: \/dev\/pts\/\d+ may not be opened by this user \(could not configure \/dev\/pts\/\d+ at 115200 baud: stty: \/dev\/pts\/\d+: Permission denied\): on Linux add yourself to the dialout group \(sudo usermod -aG dialout \$USER, then log in again\)/);
      expect(resultsText()).toBe(before);
    } finally {
      await bridge.close();
    }
  }, 120_000);
});
