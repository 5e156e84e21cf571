// After one visit the app works offline: the service worker serves the shell, the editor, and the run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';
import { TINY_TOML, editorText, importExperiment, openApp } from './app-helpers';

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

test('offline after the first visit: the app loads, keeps its experiments and runs again', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'offline.toml', TINY_TOML);
  // The service worker has installed and precached everything once it controls the page.
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  expect(await page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);

  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  await page.getByTestId('network-status').filter({ hasText: 'offline' }).waitFor();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  expect(await editorText(page)).toBe(TINY_TOML);

  await page.getByTestId('run-button').click();
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  expect(await page.getByTestId('stages').locator('[data-stage="check"]').getAttribute('data-status')).toBe('completed');
  // The built-in dataset comes from the precache.
  expect(await page.getByTestId('stages').locator('[data-stage="preprocess_data"]').getAttribute('data-status')).toBe('completed');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await page.close();
});

test('the offline panel says what works offline, fetches the compiler ahead, and a Run down to the Wasm board then works offline', async () => {
  const toml = readFileSync(join(__dirname, 'samples', 'tiny-deploy.toml'), 'utf8');
  const page = await openApp(browser.context, inject('appUrl'));
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  await importExperiment(page, 'fetch-ahead.toml', toml.replace(/^name = ".*"$/m, 'name = "e2e_fetch_ahead"'));
  await page.getByTestId('offline-status').click();
  const panel = page.getByTestId('offline-panel');
  await expect.poll(() => panel.getByTestId('offline-app').innerText()).toMatch(/^App available offline/);
  expect(await panel.getByTestId('offline-datasets').innerText()).toMatch(/^Datasets available offline/);
  expect(await panel.getByTestId('offline-compiler').innerText()).toMatch(/^C compiler not yet/);
  expect(await page.getByTestId('offline-status').textContent()).toBe('2 of 3 parts');
  await panel.getByTestId('fetch-compiler').click();
  await expect.poll(() => panel.getByTestId('offline-compiler').innerText(), { timeout: 170_000, interval: 500 }).toMatch(/^C compiler available offline/);
  expect(await page.getByTestId('offline-status').textContent()).toBe('3 of 3 parts');
  // Storage: asking says the browser's answer, whichever it is.
  const storage = panel.getByTestId('offline-storage');
  if (/best effort/.test(await storage.innerText())) {
    await storage.getByRole('button', { name: 'Ask the browser to keep it' }).click();
    await expect.poll(() => page.locator('.notice, [role="status"], [role="alert"]').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringMatching(/Storage is now persistent|kept storage at "best effort"/)]));
  }
  await page.keyboard.press('Escape');
  expect(await panel.count()).toBe(0);

  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  try {
    await page.reload();
    await page.waitForSelector('html[data-mote-ready="true"]');
    await page.getByTestId('network-status').filter({ hasText: 'offline' }).waitFor();
    await page.getByTestId('run-button').click();
    await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
    for (const id of ['check', 'preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate']) {
      expect(await page.getByTestId('stages').locator(`[data-stage="${id}"]`).getAttribute('data-status'), id).toBe('completed');
    }
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.close();
  }
});

test('offline after a first Run: the whole Run, down to the Wasm board, works again (the compiler was cached)', async () => {
  const toml = readFileSync(join(__dirname, 'samples', 'tiny-deploy.toml'), 'utf8');
  const page = await openApp(browser.context, inject('appUrl'));
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  await importExperiment(page, 'tiny-deploy.toml', toml);
  const stageStatus = (id: string) => page.getByTestId('stages').locator(`[data-stage="${id}"]`).getAttribute('data-status');
  const runToEnd = async () => {
    await page.getByTestId('run-button').click();
    await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
    for (const id of ['check', 'preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate']) expect(await stageStatus(id), id).toBe('completed');
  };
  await runToEnd(); // online: fetches the C compiler once

  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  try {
    await page.reload();
    await page.waitForSelector('html[data-mote-ready="true"]');
    await page.getByTestId('network-status').filter({ hasText: 'offline' }).waitFor();
    await runToEnd();
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.close();
  }
});
