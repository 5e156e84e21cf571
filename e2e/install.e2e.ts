// Installing the Mote Runtime on an ESP32-C3 from the Boards page, against the simulated ROM loader behind a
// Web Serial stand-in (e2e/esp-rom-bridge.ts): Connect names the board from the port's USB ids; an unplugged
// board mid-flash and a flash that does not read back each show their plain-words message and leave the board
// unrecorded; the re-run writes with visible progress, the ROM's MD5 matches, the board is recorded as
// installed (IndexedDB, the image's CRC-32), and the simulated ROM boots the image. axe-core on the page in
// these states. The image is the app's own prebuilt ESP32-C3 runtime (runtime/prebuilt/mote-runtime-esp32c3.bin,
// the board's runtime.image), fetched by the page.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, openApp, pageErrors } from './app-helpers';
import { RomLoaderBridge } from './esp-rom-bridge';
import { prebuiltRuntimeImage } from '../src/core/deploy/environment.node';
import { boardOf } from '../src/core/deploy/registry';
import { crc32 } from '../src/core/base/crc32';

const IMAGE = boardOf('ESP32C3').runtime!.image;
const enabled = true;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let image: Uint8Array;
const bridge = new RomLoaderBridge();
const card = () => page.getByTestId('board-ESP32C3');

async function installRecords(): Promise<{ board: string; crc32: string; bytes: number }[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('mote-boards'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    try {
      if (!db.objectStoreNames.contains('installs')) return [];
      return await new Promise((resolve, reject) => { const r = db.transaction('installs').objectStore('installs').getAll(); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    } finally { db.close(); }
  });
}

async function seriousAxeViolations(): Promise<string[]> {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(d: Document, o: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } })
      .axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Watches the card's install phase and progress text (the steps go by faster than a poll). */
async function watchCard(): Promise<void> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __seen: string[] }).__seen = seen;
    const el = document.querySelector('[data-testid="board-ESP32C3"]')!;
    new MutationObserver(() => {
      const phase = el.getAttribute('data-install') ?? '';
      const text = el.querySelector('[data-testid="board-ESP32C3-progress-text"]')?.textContent ?? '';
      const last = seen.at(-1);
      const entry = text ? `${phase}: ${text}` : phase;
      if (entry !== last) seen.push(entry);
    }).observe(el, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}
const seen = () => page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);

beforeAll(async () => {
  if (!enabled) return;
  image = await prebuiltRuntimeImage(IMAGE);
  browser = await launchBrowser();
  await bridge.install(browser.context);
  // The board's USB drive: a folder of the page's origin-private file system (a real FileSystemDirectoryHandle),
  // handed out by showDirectoryPicker as the drive the person picked.
  await browser.context.addInitScript(() => {
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle((window as unknown as { __moteDriveName: string }).__moteDriveName ?? 'NODE_L452RE', { create: true });
  });
  page = await openApp(browser.context, inject('appUrl'));
  await goTo(page, 'Boards');
  await card().waitFor();
});

afterAll(async () => { await browser?.close(); });

test.runIf(enabled)('the Boards page has a card per physical board with its sizes from the registry, and no placeholder card', async () => {
  await expect(page.getByTestId('physical-boards').locator(':scope > li').count()).resolves.toBe(4);
  await expect(card().getByTestId('board-ESP32C3-ram').textContent()).resolves.toBe('241.8 KiB');
  await expect(page.getByTestId('board-RaspberryPiPico-flash').textContent()).resolves.toBe('2 MiB');
  await expect(page.getByText('comes with the boards issue').count()).resolves.toBe(0);
});

test.runIf(enabled)('Connect names the board from the port\'s USB ids: an ESP32-C3 on 303a:1001, a Nucleo\'s ST-LINK on the ESP32-C3 card, an unknown device', async () => {
  const identified = card().getByTestId('board-ESP32C3-identified');
  await page.evaluate(() => { (window as unknown as { __moteUsbIds: object }).__moteUsbIds = { usbVendorId: 0x303a, usbProductId: 0x1001 }; });
  await card().getByRole('button', { name: 'Connect' }).click();
  await identified.filter({ hasText: 'This is the ESP32-C3 devkit.' }).waitFor();
  expect(await identified.textContent()).toContain('Espressif USB-Serial-JTAG (the ESP32-C3\'s own USB port) (303a:1001)');

  await page.evaluate(() => { (window as unknown as { __moteUsbIds: object }).__moteUsbIds = { usbVendorId: 0x0483, usbProductId: 0x374b }; });
  await card().getByRole('button', { name: 'Connect' }).click();
  await identified.filter({ hasText: 'This port is not a ESP32-C3 devkit.' }).waitFor();
  expect(await identified.textContent()).toContain('ST Nucleo-L452RE-P');

  await page.evaluate(() => { (window as unknown as { __moteUsbIds: object }).__moteUsbIds = { usbVendorId: 0x1234, usbProductId: 0x5678 }; });
  await card().getByRole('button', { name: 'Connect' }).click();
  await identified.filter({ hasText: 'Unknown board.' }).waitFor();
  expect(await identified.textContent()).toContain('Unknown USB device 1234:5678');

  // The devkit of the install tests: a CP210x bridge, whose DTR/RTS auto-reset the simulated ROM follows.
  await page.evaluate(() => { (window as unknown as { __moteUsbIds: object }).__moteUsbIds = { usbVendorId: 0x10c4, usbProductId: 0xea60 }; });
  await card().getByRole('button', { name: 'Connect' }).click();
  await identified.filter({ hasText: 'Silicon Labs CP210x' }).waitFor();
  expect(await identified.textContent()).toMatch(/^This is the ESP32-C3 devkit\./);
  expect(await seriousAxeViolations()).toEqual([]);
});

test.runIf(enabled)('unplugged mid-flash: the plain-words message, and the board is not recorded as installed', async () => {
  bridge.plug({ unplugAfterBlocks: 0 });
  await expect(card().getByTestId('board-ESP32C3-install-why').textContent()).resolves.toBe(`Image: ${IMAGE}, built by Mote.`);
  await card().getByRole('button', { name: 'Install Mote Runtime' }).click();
  const error = card().getByTestId('board-ESP32C3-install-error');
  await error.waitFor({ timeout: 60_000 });
  expect(await error.textContent()).toMatch(/^The board stopped answering while writing \(unplugged or reset\?\): plug it back in and flash again — a partly written image is not marked as installed\.$/);
  expect(await installRecords()).toEqual([]);
  await expect(card().getByTestId('board-ESP32C3-installed').count()).resolves.toBe(0);
  expect(await seriousAxeViolations()).toEqual([]);
});

test.runIf(enabled)('a flash that does not read back: verify failed, retry, nothing recorded', async () => {
  bridge.plug({ corruptWritesFrom: 100 });
  await card().getByRole('button', { name: 'Install Mote Runtime' }).click();
  const error = card().getByTestId('board-ESP32C3-install-error').filter({ hasText: 'did not read back as written' });
  await error.waitFor({ timeout: 60_000 });
  expect(await error.textContent()).toMatch(/flash again.*The board is not marked as installed\.$/);
  expect(await installRecords()).toEqual([]);
});

test.runIf(enabled)('Install again: progress while writing, the ROM\'s MD5 matches, recorded as installed with the CRC-32, and the ROM boots it', async () => {
  const sim = bridge.plug();
  await watchCard();
  await card().getByRole('button', { name: 'Install Mote Runtime' }).click();
  await card().getByTestId('board-ESP32C3-install-done').waitFor({ timeout: 60_000 });
  const steps = await seen();
  expect(steps.some((s) => /^writing: .* KiB of .* KiB written/.test(s)), steps.join('\n')).toBe(true);
  expect(steps).toContain('verifying');
  expect(steps.at(-1)).toBe('installed');
  expect(sim.flash.subarray(0, image.length)).toEqual(image);
  const crc = crc32(image).toString(16).padStart(8, '0');
  expect(await installRecords()).toEqual([expect.objectContaining({ board: 'ESP32C3', crc32: crc, bytes: image.length, verifiedBy: 'flash-md5', usb: '10c4:ea60', image: IMAGE })]);
  expect(await card().getByTestId('board-ESP32C3-installed').textContent()).toContain(`CRC-32 ${crc}`);
  await expect.poll(() => sim.mode).toBe('app');
  expect(sim.bootRefusal).toBeUndefined();
  expect(sim.booted?.entry).toBe(0x40380000);

  // Kept across a reload.
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  await card().getByTestId('board-ESP32C3-installed').waitFor();
  expect(await seriousAxeViolations()).toEqual([]);
  expect(pageErrors(page)).toEqual([]);
}, 120_000);

/** Puts `files` into the stand-in drive folder `name` and returns what a later read finds there. */
async function driveFiles(name: string, files: Record<string, string> = {}): Promise<Record<string, number[]>> {
  return page.evaluate(async ({ name, files }) => {
    (window as unknown as { __moteDriveName: string }).__moteDriveName = name;
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create: true });
    for (const [file, text] of Object.entries(files)) { const w = await (await dir.getFileHandle(file, { create: true })).createWritable(); await w.write(text); await w.close(); }
    const out: Record<string, number[]> = {};
    for await (const [file, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemFileHandle]> }).entries()) out[file] = Array.from(new Uint8Array(await (await handle.getFile()).arrayBuffer()));
    return out;
  }, { name, files });
}

test.runIf(enabled)('Nucleo through its drive: a folder without DETAILS.TXT is refused with nothing written; its ST-LINK drive takes the .hex, recorded as installed', async () => {
  const nucleo = page.getByTestId('board-NucleoL452REP');
  const hexName = boardOf('NucleoL452REP').runtime!.image;
  const hex = await prebuiltRuntimeImage(hexName);
  expect(await driveFiles('Downloads')).toEqual({});
  await nucleo.getByRole('button', { name: 'Install Mote Runtime' }).click();
  const error = nucleo.getByTestId('board-NucleoL452REP-install-error');
  await error.waitFor();
  expect(await error.textContent()).toBe('The folder "Downloads" is not the board\'s drive (it has no DETAILS.TXT): plug the Nucleo in by its ST-LINK USB port: a drive named NODE_L452RE appears, then choose that drive. Nothing was written.');
  expect(await driveFiles('Downloads')).toEqual({});
  expect((await installRecords()).map((r) => r.board)).toEqual(['ESP32C3']);

  await driveFiles('NODE_L452RE', { 'DETAILS.TXT': 'Version: V2J40M27\r\nBuild:   Oct  5 2022 11:02:52\r\n' });
  await nucleo.getByRole('button', { name: 'Install Mote Runtime' }).click();
  await nucleo.getByTestId('board-NucleoL452REP-install-done').waitFor();
  const files = await driveFiles('NODE_L452RE');
  expect(Uint8Array.from(files[hexName])).toEqual(hex);
  const records = await installRecords();
  expect(records.find((r) => r.board === 'NucleoL452REP')).toMatchObject({ crc32: crc32(hex).toString(16).padStart(8, '0'), bytes: hex.length, verifiedBy: 'drive-copy', image: hexName });
  expect(await seriousAxeViolations()).toEqual([]);
});

test.runIf(enabled)('Pico through its BOOTSEL drive: the RPI-RP2 stand-in (INFO_UF2.TXT) receives the runtime UF2, recorded as installed', async () => {
  const pico = page.getByTestId('board-RaspberryPiPico');
  const uf2Name = boardOf('RaspberryPiPico').runtime!.image;
  const uf2 = await prebuiltRuntimeImage(uf2Name);
  expect(await pico.textContent()).toContain('hold the BOOTSEL button while plugging the Pico in');
  await driveFiles('RPI-RP2', { 'INFO_UF2.TXT': 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n' });
  await pico.getByRole('button', { name: 'Install Mote Runtime' }).click();
  await pico.getByTestId('board-RaspberryPiPico-install-done').waitFor();
  expect(Uint8Array.from((await driveFiles('RPI-RP2'))[uf2Name])).toEqual(uf2);
  expect((await installRecords()).find((r) => r.board === 'RaspberryPiPico')).toMatchObject({ crc32: crc32(uf2).toString(16).padStart(8, '0'), bytes: uf2.length, verifiedBy: 'drive-copy' });
});
