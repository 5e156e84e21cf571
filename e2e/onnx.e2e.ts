// ONNX in the app: every Run checks the trained float model with onnxruntime-web (wasm, in the onnx worker,
// its .wasm served by the app) against Mote's float reference, and the Results page shows the two figures; a
// dropped (or chosen) .onnx file becomes the open experiment's model, and a malformed one is refused in words.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';
import { TINY_TOML, editorText, importExperiment, openApp, pageErrors, waitSaved } from './app-helpers';

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

test('offline, onnxruntime-web still checks the run: its .wasm is in the service worker\'s precache', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'tiny.toml', TINY_TOML);
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  try {
    await page.reload();
    await page.waitForSelector('html[data-mote-ready="true"]');
    const row = await runToResults(page);
    expect(await row.innerText()).toMatch(/^onnxruntime-web on the float model: 100\.0 % same class/);
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  }
  await page.close();
});

const FIXTURE = readFileSync(join(__dirname, 'samples', 'digits-torch.onnx'));

/** Drops a file on the Editor page as a person would, onto the editor itself. */
async function dropFile(page: import('playwright-core').Page, name: string, bytes: Uint8Array): Promise<void> {
  await page.locator('.cm-content').waitFor();
  await page.evaluate(({ name, bytes }) => {
    const data = new DataTransfer();
    data.items.add(new File([new Uint8Array(bytes)], name, { type: 'application/octet-stream' }));
    const target = document.querySelector('.cm-content')!;
    for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  }, { name, bytes: Array.from(bytes) });
}

test('a dropped torch-style .onnx becomes the model of the open experiment, kept with it, and runs to the board', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  // The default experiment: digits, FuseBatchNorm, int8 PTQ, [deploy] with 100 vectors.
  await importExperiment(page, 'cnn_int8.toml', readFileSync('conf/digits/cnn_int8.toml', 'utf8'));
  const before = await editorText(page);
  await dropFile(page, 'digits-torch.onnx', FIXTURE);
  await page.getByRole('status').filter({ hasText: /Imported digits-torch\.onnx as the model/ }).waitFor();
  const text = await editorText(page);
  expect(text).toMatch(/\[model_template\]\nkind   = "ONNX"/);
  expect(text).toContain('params.path = "models/digits-torch.onnx"');
  expect(text).not.toContain('params.filters');
  expect(text.slice(0, text.indexOf('[model_template]'))).toBe(before.slice(0, before.indexOf('[model_template]')));
  await waitSaved(page);
  // The file is kept with the experiment in IndexedDB: a reload still runs it.
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  expect(await editorText(page)).toBe(text);
  const row = await runToResults(page);
  const stages = page.getByTestId('stages').locator('li');
  const outcome = (await stages.evaluateAll((items) => items.map((li) => `${li.getAttribute('data-stage')} ${li.getAttribute('data-status')}: ${li.querySelector('.message')?.textContent}`))).join('\n');
  expect(outcome).toMatch(/deploy_and_evaluate completed: /);
  expect(await stages.nth(2).locator('.message').textContent()).toMatch(/^1 model trained on/);
  expect(await page.getByTestId('board-accuracy').textContent()).toMatch(/^\d+\.\d %$/);
  expect(await page.getByTestId('results-headline').innerText()).toMatch(/int8 model on the .+, 100 test vectors/);
  expect(await page.getByTestId('bit-exact').textContent()).toBe('bit-exact');
  expect(await page.getByTestId('float-accuracy').textContent()).toMatch(/^\d+\.\d %$/);
  expect(await row.innerText()).toMatch(/100\.0 % same class as Mote's float reference on 100 test vectors/);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});

test('a truncated .onnx is refused with the importer\'s error naming the file; the experiment is unchanged', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'tiny.toml', TINY_TOML);
  await page.getByTestId('import-onnx').setInputFiles({ name: 'broken.onnx', mimeType: 'application/octet-stream', buffer: FIXTURE.subarray(0, Math.floor(FIXTURE.length * 0.6)) });
  const alert = page.getByRole('alert').filter({ hasText: 'broken.onnx' });
  await alert.waitFor();
  expect(await alert.innerText()).toMatch(/^broken\.onnx: byte \d+, in .*remain \(the file is truncated\)\. Nothing was imported; the experiment is unchanged\./);
  expect(await editorText(page)).toBe(TINY_TOML);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});
