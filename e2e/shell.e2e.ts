import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

test('the app shell loads, is titled Mote, and is cross-origin isolated', async () => {
  const page = await browser.context.newPage();
  await page.goto(inject('appUrl'));
  await expect.poll(() => page.title()).toBe('Mote');
  await page.getByRole('heading', { name: 'Mote' }).waitFor();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});
