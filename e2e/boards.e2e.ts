// The Boards page against real firmware: the app runs the digits experiment on the generated-C route
// (conf/digits/cnn_int8.toml: training, C generation; the app's default takes the runtime route and writes no C),
// the test builds Mote's VirtualCortexM4 firmware from the C the app generated, boots it in QEMU, and bridges its
// UART to a Web Serial stand-in in the page; the app's unmodified Web Serial code then evaluates the board.
// Also: a board running another model is refused, unplugging mid-evaluation keeps what was saved, and the
// hosted toolchain (started here on a free port) builds and runs the same model over its WebSocket bridge.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { readFileSync } from 'node:fs';
import { goTo, importExperiment, openApp, pageErrors } from './app-helpers';
import { SerialBridge } from './serial-bridge';
import { startVirtualCortexM4, type VirtualBoard } from '../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../src/core/deploy/toolchain-local.node';
import { FIXTURE_DIR } from '../tests/firmware/fixture-model';
import { readModelDir } from '../tests/firmware/helpers';
import { startToolchainService, type ToolchainService } from '../server/toolchain-service';

const missing = ['arm-none-eabi-gcc', 'qemu-system-arm'].filter((tool) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status !== 0);
if (missing.length && !process.env.CI) console.warn(`skipping the board tests: ${missing.join(', ')} not installed (run scripts/install-system-packages.sh)`);
const enabled = missing.length === 0 || Boolean(process.env.CI);

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
const bridge = new SerialBridge();
const boardsToStop: VirtualBoard[] = [];
let appModel: { runId: string; dir: string; files: Record<string, string> };
let appFirmware: Uint8Array;

interface StoredRun { id: string; startedAt: string; results: { runs: { deploy: { target: string; n: number | null; bit_exact: boolean | null; agreement: number | null; rom_bytes: number | null }[] }[] } | null }

/** Reads the app's IndexedDB directly (the test's view of what the app saved). */
async function storedRuns(): Promise<StoredRun[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('mote'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    try {
      return await new Promise<StoredRun[]>((resolve, reject) => { const r = db.transaction('runs').objectStore('runs').getAll(); r.onsuccess = () => resolve(r.result as StoredRun[]); r.onerror = () => reject(r.error); });
    } finally { db.close(); }
  });
}

/** The generated C of the app's latest run, as the Deploy page lists it. */
async function generatedModel(): Promise<typeof appModel> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('mote'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const all = <T,>(store: string) => new Promise<T[]>((resolve, reject) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => resolve(r.result as T[]); r.onerror = () => reject(r.error); });
    try {
      const runs = (await all<{ id: string; startedAt: string }>('runs')).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      const runId = runs[0].id;
      const artifacts = (await all<{ id: string; runId: string; name: string }>('artifacts')).filter((a) => a.runId === runId && /^out\/qualia_codegen\/[^/]+\/model(_weights)?\.[ch]$/.test(a.name));
      const files: Record<string, string> = {};
      let dir = '';
      for (const artifact of artifacts) {
        const data = await new Promise<{ bytes: Uint8Array }>((resolve, reject) => { const r = db.transaction('artifactData').objectStore('artifactData').get(artifact.id); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
        dir = artifact.name.slice(0, artifact.name.lastIndexOf('/'));
        files[artifact.name.slice(dir.length + 1)] = new TextDecoder().decode(data.bytes);
      }
      return { runId, dir, files };
    } finally { db.close(); }
  });
}

async function bootBoard(elf: Uint8Array): Promise<VirtualBoard> {
  const board = await startVirtualCortexM4(elf);
  boardsToStop.push(board);
  return board;
}

const connection = () => page.getByTestId('board-connection');

beforeAll(async () => {
  if (!enabled) return;
  browser = await launchBrowser();
  await bridge.install(browser.context);
  page = await openApp(browser.context, inject('appUrl'));
  // Trains the digits experiment (CNN, int8) and generates its C (converter QualiaCodeGen).
  await importExperiment(page, 'cnn_int8.toml', readFileSync('conf/digits/cnn_int8.toml', 'utf8'));
  await page.getByTestId('run-button').click();
  await page.waitForFunction(() => {
    const last = document.querySelector('[data-testid="stages"] li[data-stage="deploy_and_evaluate"]')?.getAttribute('data-status');
    return ['completed', 'failed', 'skipped', 'cancelled'].includes(last ?? '') && !(document.querySelector('[data-testid="run-button"]') as HTMLButtonElement | null)?.disabled;
  }, null, { timeout: 300_000, polling: 500 });
  const prepared = await page.getByTestId('stages').locator('li[data-stage="prepare_deploy"]').getAttribute('data-status');
  expect(prepared, 'the run did not generate C').toBe('completed');
  appModel = await generatedModel();
  expect(Object.keys(appModel.files).sort()).toEqual(['model.c', 'model.h', 'model_weights.h']);
  const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: appModel.files });
  appFirmware = build.files['firmware.elf'];
  await goTo(page, 'Boards');
}, 420_000);

afterAll(async () => {
  for (const board of boardsToStop) await board.stop().catch(() => undefined);
  await browser?.close();
});

test.runIf(enabled)('Web Serial: a board running another model is refused at connect time, with the hashes and what to do', async () => {
  // Mote firmware, but for the fixture model (hash 0x5eed0001), not the model this run generated.
  const fixture = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: readModelDir(FIXTURE_DIR) });
  bridge.attach((await bootBoard(fixture.files['firmware.elf'])).transport);
  await page.getByRole('button', { name: 'Choose port and connect' }).click();
  const error = page.getByTestId('board-error');
  await error.waitFor({ timeout: 60_000 });
  expect(await error.textContent()).toMatch(/runs model fixture_dense_q8 \(hash 0x5eed0001\), not this run's out\/qualia_codegen\/\S+\/ \(hash 0x[0-9a-f]{8}\)\. Flash firmware built from/);
  expect(await page.getByTestId('board-status').textContent()).toBe('none connected');
  expect(await connection().getAttribute('data-phase')).toBe('idle');
});

test.runIf(enabled)('Web Serial: the app evaluates the real firmware for its own model, bit-exact, and records the row in the run', async () => {
  bridge.attach((await bootBoard(appFirmware)).transport);
  const connect = page.getByRole('button', { name: 'Choose port and connect' });
  await connect.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => connection().getAttribute('data-phase'), { timeout: 60_000 }).toBe('connected');
  expect(await page.getByTestId('board-status').textContent()).toBe('virtual-cortex-m4 (Web Serial)');
  expect(await connection().textContent()).toMatch(/matches this run's model/);
  await page.getByRole('button', { name: 'Evaluate on this board' }).click();
  const notice = page.getByTestId('board-notice');
  await notice.waitFor({ timeout: 120_000 });
  expect(await notice.textContent()).toMatch(/^100 vectors on virtual-cortex-m4 \(Web Serial\): bit-exact with the browser reference; saved in the run as target WebSerial:virtual-cortex-m4\./);
  const evaluation = page.getByTestId('evaluation');
  expect(await evaluation.locator('tbody tr').count()).toBe(100);
  expect(await evaluation.locator('tr.mismatch').count()).toBe(0);
  expect(await evaluation.textContent()).toMatch(/Bit-exact\s*yes/);
  expect(await page.getByTestId('board-saved').textContent()).toMatch(/Saved in the run as WebSerial:virtual-cortex-m4 \(int8\): accuracy [\d.]+ %, agreement 100\.00 %, bit-exact/);
  const run = (await storedRuns()).find((r) => r.id === appModel.runId)!;
  const row = run.results!.runs.flatMap((r) => r.deploy).find((d) => d.target === 'WebSerial:virtual-cortex-m4');
  expect(row).toMatchObject({ n: 100, bit_exact: true, agreement: 1 });
  expect(pageErrors(page)).toEqual([]);
});

test.runIf(enabled)('Web Serial: an evaluation the board stops answering can be cancelled; the next one starts over and completes', async () => {
  expect(await connection().getAttribute('data-phase')).toBe('connected');
  bridge.stallAfterWrites = bridge.writes + 2;
  await page.getByRole('button', { name: 'Evaluate on this board' }).click();
  await page.getByTestId('board-progress-text').waitFor();
  await expect.poll(() => bridge.writes, { timeout: 30_000 }).toBeGreaterThan(bridge.stallAfterWrites!);
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await page.getByTestId('board-notice').filter({ hasText: 'Evaluation cancelled' }).waitFor({ timeout: 30_000 });
  expect(await connection().getAttribute('data-phase')).toBe('connected');
  bridge.stallAfterWrites = undefined;
  await page.getByRole('button', { name: 'Evaluate on this board' }).click();
  await page.getByTestId('board-notice').filter({ hasText: 'bit-exact with the browser reference' }).waitFor({ timeout: 120_000 });
  expect(await page.getByTestId('evaluation').locator('tbody tr').count()).toBe(100);
});

test.runIf(enabled)('Web Serial: unplugging mid-evaluation says so and keeps the row saved before', async () => {
  // Still connected from the previous test: this time the port fails after a few INFER frames.
  if ((await connection().getAttribute('data-phase')) !== 'connected') {
    bridge.attach((await bootBoard(appFirmware)).transport);
    await page.getByRole('button', { name: 'Choose port and connect' }).click();
    await expect.poll(() => connection().getAttribute('data-phase'), { timeout: 60_000 }).toBe('connected');
  }
  bridge.unplugAfterWrites = bridge.writes + 3;
  await page.getByRole('button', { name: 'Evaluate on this board' }).click();
  const error = page.getByTestId('board-error');
  await error.waitFor({ timeout: 60_000 });
  expect(await error.textContent()).toMatch(/^The board connection was lost during the evaluation: .*Nothing from this evaluation was saved; earlier results are kept\.$/);
  await expect.poll(() => page.getByTestId('board-status').textContent()).toBe('none connected');
  expect(await connection().getAttribute('data-phase')).toBe('idle');
  const run = (await storedRuns()).find((r) => r.id === appModel.runId)!;
  expect(run.results!.runs.flatMap((r) => r.deploy).find((d) => d.target === 'WebSerial:virtual-cortex-m4')).toMatchObject({ n: 100, bit_exact: true });
});

test.runIf(enabled)('hosted VirtualCortexM4: the toolchain service builds the run\'s C, starts QEMU, and the app evaluates it over the WebSocket', async () => {
  // Nothing listens there: the page says so and how to start the service.
  await page.getByLabel('Toolchain address').fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Build and start' }).click();
  await page.getByTestId('board-error').filter({ hasText: 'unreachable' }).waitFor({ timeout: 60_000 });
  expect(await page.getByTestId('board-error').textContent()).toMatch(/^the hosted toolchain at http:\/\/127\.0\.0\.1:9 is unreachable \(.*\); start it with `npm run toolchain`/);
  expect(await page.getByTestId('board-status').textContent()).toBe('none connected');

  const origin = new URL(inject('appUrl')).origin;
  const service: ToolchainService = await startToolchainService({ port: 0, allowedOrigins: [origin] });
  try {
    const url = page.getByLabel('Toolchain address');
    await url.fill(service.url);
    await page.getByRole('button', { name: 'Build and start' }).click();
    await expect.poll(() => connection().getAttribute('data-phase'), { timeout: 120_000 }).toBe('connected');
    expect(await page.getByTestId('board-status').textContent()).toMatch(/^VirtualCortexM4 \(hosted, 127\.0\.0\.1:\d+\)$/);
    await page.getByRole('button', { name: 'Evaluate on this board' }).click();
    await page.getByTestId('board-notice').filter({ hasText: 'target VirtualCortexM4' }).waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('board-notice').textContent()).toMatch(/^100 vectors on VirtualCortexM4 .*: bit-exact with the browser reference/);
    expect(await page.getByTestId('evaluation').locator('tr.mismatch').count()).toBe(0);
    expect(await page.getByTestId('board-saved').textContent()).toMatch(/VirtualCortexM4 \(int8\): .*bit-exact, ROM \d+ B, RAM \d+ B\./);
    const rows = (await storedRuns()).find((r) => r.id === appModel.runId)!.results!.runs.flatMap((r) => r.deploy);
    expect(rows.find((d) => d.target === 'VirtualCortexM4')).toMatchObject({ n: 100, bit_exact: true, agreement: 1 });
    // The Web Serial row measured earlier is still there.
    expect(rows.find((d) => d.target === 'WebSerial:virtual-cortex-m4')).toMatchObject({ bit_exact: true });
    if (process.env.MOTE_E2E_SCREENSHOT) await page.screenshot({ path: process.env.MOTE_E2E_SCREENSHOT, fullPage: true });
    await page.getByRole('button', { name: 'Disconnect' }).click();
    expect(await page.getByTestId('board-status').textContent()).toBe('none connected');
    expect(pageErrors(page)).toEqual([]);
  } finally {
    await service.close();
  }
});
