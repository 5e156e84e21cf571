// ONNX in the app: every Run checks the trained float model with onnxruntime-web (wasm, in the onnx worker,
// its .wasm served by the app) against Mote's float reference, and the Results page shows the two figures.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';
import { TINY_TOML, importExperiment, openApp, pageErrors } from './app-helpers';

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

/** Presses Run, waits for the run to end, and returns the Results page's onnxruntime-web row. */
async function runToResults(page: import('playwright-core').Page) {
  await page.getByTestId('run-button').click();
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  await page.getByRole('heading', { level: 2, name: /^Results/ }).waitFor();
  return page.getByTestId('onnx-reference');
}

test('a Run checks the float model with onnxruntime-web: every test vector the same class, tiny differences', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  const requests: string[] = [];
  page.on('request', (request) => requests.push(request.url()));
  await importExperiment(page, 'tiny.toml', TINY_TOML);
  const row = await runToResults(page);
  expect(await row.innerText()).toMatch(/^onnxruntime-web on the float model: 100\.0 % same class as Mote's float reference on 355 test vectors, largest relative difference \d\.\de-\d+$/);
  expect(Number(await page.getByTestId('onnx-max-rel-diff').textContent())).toBeLessThan(1e-4);
  // The runtime's wasm came from the app itself.
  const origin = new URL(inject('appUrl')).origin;
  expect(requests.filter((url) => /ort-wasm/.test(url)).every((url) => url.startsWith(origin))).toBe(true);
  expect(requests.some((url) => /ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(url))).toBe(true);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});
