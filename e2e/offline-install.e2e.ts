// Install works offline: the Mote Runtime images for the physical boards (runtime/prebuilt/*.bin|.uf2|.hex,
// emitted by Vite as assets) are in the service worker's precache, so after the first visit the Boards page
// installs a board with the network off. Here: each image is in the precache with the same bytes as
// runtime/prebuilt/, and with the network off the Pico's runtime UF2 goes onto its RPI-RP2 drive (a stand-in
// folder of the page's origin-private file system, as in install.e2e.ts) and is recorded as installed.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, openApp, pageErrors } from './app-helpers';
import { prebuiltRuntimeImage } from '../src/core/deploy/environment.node';
import { allBoards, boardOf } from '../src/core/deploy/registry';

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  await browser.context.addInitScript(() => {
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle('RPI-RP2', { create: true });
  });
  page = await openApp(browser.context, inject('appUrl'));
});
afterAll(async () => { await browser?.close(); });

/** Every precached URL with its bytes, for the URLs whose file name matches `pattern`. */
async function precached(pattern: string): Promise<Record<string, number[]>> {
  return page.evaluate(async (source) => {
    const match = new RegExp(source);
    const out: Record<string, number[]> = {};
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const file = new URL(request.url).pathname.split('/').pop() ?? '';
        if (match.test(file)) out[file] = Array.from(new Uint8Array(await (await cache.match(request))!.arrayBuffer()));
      }
    }
    return out;
  }, pattern);
}

test('every physical board\'s runtime image is precached with its bytes, and the Pico installs with the network off', async () => {
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), { timeout: 30_000 }).toBe(true);

  const images = allBoards().map((b) => b.runtime?.image).filter((name): name is string => Boolean(name && /\.(bin|uf2|hex)$/.test(name)));
  expect(images.sort()).toEqual(['mote-runtime-esp32c3.bin', 'mote-runtime-microbit-v2.hex', 'mote-runtime-nucleo-l452rep.hex', 'mote-runtime-rp2040.uf2']);
  await expect.poll(async () => Object.keys(await precached('\\.(bin|uf2|hex)$')).length, { timeout: 30_000 }).toBe(images.length);
  const cached = await precached('\\.(bin|uf2|hex)$');
  for (const name of images) {
    const stem = name.replace(/\.[^.]+$/, '');
    const ext = name.slice(stem.length);
    const entry = Object.entries(cached).find(([file]) => file.startsWith(`${stem}-`) && file.endsWith(ext));
    expect(entry, `${name} in the precache (${Object.keys(cached).join(', ')})`).toBeDefined();
    expect(Uint8Array.from(entry![1])).toEqual(await prebuiltRuntimeImage(name));
  }

  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  try {
    await page.reload();
    await page.waitForSelector('html[data-mote-ready="true"]');
    await page.getByTestId('network-status').filter({ hasText: 'offline' }).waitFor();
    await goTo(page, 'Boards');
    const pico = page.getByTestId('board-RaspberryPiPico');
    await pico.waitFor();
    const uf2Name = boardOf('RaspberryPiPico').runtime!.image;
    await page.evaluate(async () => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('RPI-RP2', { create: true });
      const w = await (await dir.getFileHandle('INFO_UF2.TXT', { create: true })).createWritable();
      await w.write('UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n');
      await w.close();
    });
    await pico.getByRole('button', { name: 'Install Mote Runtime' }).click();
    await pico.getByTestId('board-RaspberryPiPico-install-done').waitFor({ timeout: 30_000 });
    const written = await page.evaluate(async (name) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('RPI-RP2');
      return Array.from(new Uint8Array(await (await (await dir.getFileHandle(name)).getFile()).arrayBuffer()));
    }, uf2Name);
    expect(Uint8Array.from(written)).toEqual(await prebuiltRuntimeImage(uf2Name));
    expect(await pico.getByTestId('board-RaspberryPiPico-installed').textContent()).toContain(uf2Name);
    expect(pageErrors(page)).toEqual([]);
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  }
}, 120_000);
