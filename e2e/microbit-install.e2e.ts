// Installing the Mote Runtime on a BBC micro:bit v2 from the Boards page, through WebUSB: the app's bundled
// @microbit/microbit-connection (src/devices/microbit-flasher.ts) against the simulated DAPLink in Node
// (e2e/daplink-bridge.ts → tests/boards/microbit-daplink.ts). The card shows the board from the registry; no
// device chosen, a micro:bit v1 and an unplug mid-flash each show their plain-words message and record
// nothing; then the install streams the app's own prebuilt .hex (fetched by the page) to DAPLink byte for
// byte, with progress, and the board is recorded as installed.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, openApp, pageErrors } from './app-helpers';
import { DaplinkBridge } from './daplink-bridge';
import { prebuiltRuntimeImage } from '../src/core/deploy/environment.node';
import { boardOf } from '../src/core/deploy/registry';
import { crc32 } from '../src/core/base/crc32';

const IMAGE = boardOf('MicrobitV2').runtime!.image;
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let hex: Uint8Array;
const bridge = new DaplinkBridge();
const card = () => page.getByTestId('board-MicrobitV2');

async function installRecords(): Promise<{ board: string; crc32: string; bytes: number; verifiedBy: string }[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('mote-boards'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    try {
      if (!db.objectStoreNames.contains('installs')) return [];
      return await new Promise((resolve, reject) => { const r = db.transaction('installs').objectStore('installs').getAll(); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    } finally { db.close(); }
  });
}

beforeAll(async () => {
  hex = await prebuiltRuntimeImage(IMAGE);
  browser = await launchBrowser();
  await bridge.install(browser.context);
  page = await openApp(browser.context, inject('appUrl'));
  bridge.page = page;
  await goTo(page, 'Boards');
  await card().waitFor();
});

afterAll(async () => { await browser?.close(); });

test('the micro:bit v2 card shows its registry facts and installs over WebUSB', async () => {
  await expect(card().getByTestId('board-MicrobitV2-flash').textContent()).resolves.toBe('512 KiB');
  await expect(card().getByTestId('board-MicrobitV2-ram').textContent()).resolves.toBe('128 KiB');
  const text = await card().textContent();
  expect(text).toContain('BBC micro:bit v2');
  expect(text).toContain('64 MHz');
  expect(text).toContain('over USB through the board\'s DAPLink chip (WebUSB)');
  await expect(card().getByTestId('board-MicrobitV2-install-why').textContent()).resolves.toBe(`Image: ${IMAGE}, built by Mote.`);
});

test('no device chosen, a micro:bit v1, unplugged mid-flash: plain words, nothing recorded', async () => {
  const error = card().getByTestId('board-MicrobitV2-install-error');
  bridge.plug(undefined);
  await card().getByRole('button', { name: 'Install Mote Runtime' }).click();
  await error.filter({ hasText: 'No micro:bit was chosen' }).waitFor({ timeout: 30_000 });

  const v1 = bridge.plug({ boardId: '9901' })!;
  await card().getByRole('button', { name: 'Install Mote Runtime' }).click();
  await error.filter({ hasText: 'micro:bit v1' }).waitFor({ timeout: 30_000 });
  expect(await error.textContent()).toContain('nothing was written');
  expect(v1.commands).not.toContain(0x8a);

  const unplugged = bridge.plug({ unplugAfterWrites: 300 })!;
  await card().getByRole('button', { name: 'Install Mote Runtime' }).click();
  await error.filter({ hasText: 'unplugged' }).waitFor({ timeout: 60_000 });
  expect(await error.textContent()).toMatch(/plug it back in and install again; the board was not recorded as installed\.$/);
  expect(unplugged.programmed).toBeUndefined();
  expect(await installRecords()).toEqual([]);
}, 120_000);

test('Install: DAPLink receives the app\'s prebuilt .hex byte for byte, with progress, and the board is recorded', async () => {
  const device = bridge.plug({ boardId: '9904' })!;
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __seen: string[] }).__seen = seen;
    const el = document.querySelector('[data-testid="board-MicrobitV2"]')!;
    new MutationObserver(() => {
      const text = el.querySelector('[data-testid="board-MicrobitV2-progress-text"]')?.textContent ?? '';
      const entry = `${el.getAttribute('data-install') ?? ''}${text ? `: ${text}` : ''}`;
      if (entry !== seen.at(-1)) seen.push(entry);
    }).observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
  });
  await card().getByRole('button', { name: 'Install Mote Runtime' }).click();
  await card().getByTestId('board-MicrobitV2-install-done').waitFor({ timeout: 120_000 });
  const steps = await page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
  expect(steps.some((s) => /^writing: .* KiB of .* KiB written/.test(s)), steps.join('\n')).toBe(true);
  expect(steps.at(-1)).toBe('installed');
  expect(device.programmed).toEqual(hex);
  const crc = crc32(hex).toString(16).padStart(8, '0');
  expect(await installRecords()).toEqual([expect.objectContaining({ board: 'MicrobitV2', crc32: crc, bytes: hex.length, verifiedBy: 'daplink-stream', usb: '0d28:0204', image: IMAGE })]);
  expect(await card().getByTestId('board-MicrobitV2-installed').textContent()).toContain('taken whole by DAPLink');
  expect(pageErrors(page)).toEqual([]);
}, 180_000);
