// The Boards page's "Load the latest Run's model and evaluate" on a physical board over Web Serial, end to end:
// the app runs the digits experiment on the runtime route (converter MoteRuntime), the Pico card installs the
// runtime UF2 on a stand-in RPI-RP2 drive, and the Web Serial port's other end (e2e/serial-bridge.ts) is the
// Pico's UART0 in rp2040js booted from that same UF2 (runtime/prebuilt/mote-runtime-rp2040.uf2) — the bytes a
// real Pico would program, reached as a Pico behind a USB-UART adapter is. The app's own code loads the blob
// (protocol 2) and evaluates (protocol v1) against its integer reference. Failure modes, each in plain words
// with nothing saved from the failed attempt and the earlier row kept: no port chosen, port busy, unplugged
// mid-load, unplugged mid-evaluation; then a re-run completes.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, importExperiment, openApp, pageErrors } from './app-helpers';
import { SerialBridge } from './serial-bridge';
import { prebuiltRuntimeImage } from '../src/core/deploy/environment.node';
import { readUf2 } from '../src/core/deploy/formats/uf2';
import { boardOf } from '../src/core/deploy/registry';
import { startVirtualPico, type VirtualPico } from '../src/core/deploy/targets/rp2040/rp2040js-board';

const PICO = boardOf('RaspberryPiPico');
const VECTORS = 40;
// The default runtime-route experiment, shorter: 2 epochs, 40 test vectors (rp2040js runs ~1 M instructions/s).
const TOML = readFileSync('conf/digits/cnn_int8_runtime.toml', 'utf8')
  .replace(/^epochs\s*=\s*20$/m, 'epochs     = 2')
  .replace(/^limit\s*=\s*100$/m, `limit          = ${VECTORS}`);

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let flashImage: Uint8Array;
const bridge = new SerialBridge(115200); // the Pico runtime's UART0 (evaluator params baudrate default)
const picos: VirtualPico[] = [];
const card = () => page.getByTestId('board-RaspberryPiPico');
const evaluateButton = () => card().getByRole('button', { name: 'Load the latest Run\'s model and evaluate' });
const evalError = () => card().getByTestId('board-RaspberryPiPico-eval-error');

interface Row { target: string; n: number | null; bit_exact: boolean | null; accuracy: number | null; reference_accuracy: number | null; route?: string; cycles_per_inference?: number | null; rom_bytes: number | null; ram_bytes: number | null; model_crc?: string }

/** The rows the app saved in its latest run (IndexedDB, the test's view). */
async function savedRows(): Promise<Row[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('mote'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    try {
      const runs = await new Promise<{ startedAt: string; results: { runs: { deploy: Row[] }[] } | null }[]>((resolve, reject) => { const r = db.transaction('runs').objectStore('runs').getAll(); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
      const latest = runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
      return latest?.results?.runs.flatMap((r) => r.deploy) ?? [];
    } finally { db.close(); }
  });
}
const picoRow = async () => (await savedRows()).find((r) => r.target === 'RaspberryPiPico');

/** Plugs a freshly booted virtual Pico (its runtime UF2) into the Web Serial port. */
function plugPico(): VirtualPico {
  const pico = startVirtualPico(flashImage);
  picos.push(pico);
  bridge.attach(pico.transport);
  return pico;
}

beforeAll(async () => {
  flashImage = readUf2(await prebuiltRuntimeImage(PICO.runtime!.image)).image;
  browser = await launchBrowser();
  await bridge.install(browser.context);
  await browser.context.addInitScript(() => {
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle('RPI-RP2', { create: true });
  });
  page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'cnn_int8_runtime.toml', TOML);
  await page.getByTestId('run-button').click();
  await page.waitForFunction(() => {
    const last = document.querySelector('[data-testid="stages"] li[data-stage="deploy_and_evaluate"]')?.getAttribute('data-status');
    return ['completed', 'failed', 'skipped', 'cancelled'].includes(last ?? '') && !(document.querySelector('[data-testid="run-button"]') as HTMLButtonElement | null)?.disabled;
  }, null, { timeout: 300_000, polling: 500 });
  expect(await page.getByTestId('stages').locator('li[data-stage="prepare_deploy"]').getAttribute('data-status')).toBe('completed');
  await goTo(page, 'Boards');
  await card().waitFor();
}, 360_000);

afterAll(async () => {
  for (const pico of picos) await pico.stop().catch(() => undefined);
  await browser?.close();
});

test('before Install the card says to install first; after the UF2 is on the drive it may evaluate', async () => {
  expect(await card().textContent()).toContain('Install the Mote Runtime on the board first.');
  expect(await evaluateButton().isDisabled()).toBe(true);
  await page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('RPI-RP2', { create: true });
    const w = await (await dir.getFileHandle('INFO_UF2.TXT', { create: true })).createWritable();
    await w.write('UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n');
    await w.close();
  });
  await card().getByRole('button', { name: 'Install Mote Runtime' }).click();
  await card().getByTestId('board-RaspberryPiPico-install-done').waitFor({ timeout: 30_000 });
  expect(await evaluateButton().isDisabled()).toBe(false);
});

test('no port chosen: says to plug the board in with a data cable (and the USB-UART driver), nothing saved', async () => {
  await page.evaluate(() => {
    const serial = (navigator as unknown as { serial: { requestPort: () => Promise<unknown> } }).serial;
    const original = serial.requestPort.bind(serial);
    serial.requestPort = async () => { serial.requestPort = original; throw new DOMException('No port selected by the user.', 'NotFoundError'); };
  });
  await evaluateButton().click();
  await evalError().waitFor({ timeout: 60_000 });
  expect(await evalError().textContent()).toMatch(/^The evaluation did not run: no serial port was chosen: plug the board in with a data cable .*CP210x or CH340.*\. Nothing from this evaluation was saved; earlier results are kept\.$/);
  expect(await picoRow()).toBeUndefined();
});

test('port busy: says to close the other program, not that the board was unplugged', async () => {
  plugPico();
  bridge.busy = true;
  try {
    await evaluateButton().click();
    await evalError().filter({ hasText: 'close other programs' }).waitFor({ timeout: 60_000 });
    expect(await evalError().textContent()).toMatch(/^The evaluation did not run: could not open the serial port at 115200 baud: Failed to open serial port; close other programs using it \(a serial monitor\?\) and retry\. Nothing from this evaluation was saved; earlier results are kept\.$/);
  } finally { bridge.busy = false; }
  expect(await picoRow()).toBeUndefined();
});

let writesPerEvaluation = 0;
test('the run\'s model loads into the Pico\'s runtime and evaluates bit-exact; the row is saved in the run', async () => {
  plugPico();
  await evaluateButton().click();
  const evaluation = card().getByTestId('board-RaspberryPiPico-evaluation');
  await evaluation.filter({ hasText: 'saved in the run as target RaspberryPiPico' }).waitFor({ timeout: 240_000 });
  writesPerEvaluation = bridge.writes;
  expect(await evaluation.textContent()).toMatch(new RegExp(`Model loaded in [\\d.]+ s \\(\\d+ chunks\\) and evaluated on ${VECTORS} vectors; saved in the run as target RaspberryPiPico\\.`));
  const row = await picoRow();
  expect(row).toMatchObject({ n: VECTORS, bit_exact: true, route: 'runtime' });
  expect(row!.accuracy).toBe(row!.reference_accuracy);
  expect(row!.cycles_per_inference).toBeGreaterThan(0);
  expect(row!.rom_bytes).toBeGreaterThan(0);
  expect(await card().getByTestId('board-RaspberryPiPico-result').textContent()).toMatch(/yes/);
  expect(pageErrors(page)).toEqual([]);
}, 300_000);

test('unplugged mid-load: the connection was lost, plug it back in; nothing saved, the earlier row kept', async () => {
  const before = await picoRow();
  plugPico();
  bridge.unplugAfterWrites = 3; // a few LOAD frames
  await evaluateButton().click();
  await evalError().waitFor({ timeout: 60_000 });
  expect(await evalError().textContent()).toMatch(/^The board connection was lost: .*\. Nothing from this evaluation was saved; earlier results are kept — plug the board back in and evaluate again\.$/);
  expect(await picoRow()).toEqual(before);
});

test('unplugged mid-evaluation: the same, and a re-run on the re-plugged board completes', async () => {
  const before = await picoRow();
  plugPico();
  bridge.unplugAfterWrites = writesPerEvaluation - 5; // a few vectors before the end
  await evaluateButton().click();
  await evalError().waitFor({ timeout: 240_000 });
  expect(await evalError().textContent()).toMatch(/^The board connection was lost: .*\. Nothing from this evaluation was saved; earlier results are kept — plug the board back in and evaluate again\.$/);
  expect(await picoRow()).toEqual(before);

  plugPico();
  await evaluateButton().click();
  await card().getByTestId('board-RaspberryPiPico-evaluation').filter({ hasText: 'saved in the run as target RaspberryPiPico' }).waitFor({ timeout: 240_000 });
  expect(await evalError().count()).toBe(0);
  expect(await picoRow()).toMatchObject({ n: VECTORS, bit_exact: true, model_crc: before!.model_crc });
  expect(pageErrors(page)).toEqual([]);
}, 500_000);
