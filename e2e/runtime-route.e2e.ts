// The default Run on the runtime route: the default experiment (conf/digits/cnn_int8_runtime.toml, converter
// MoteRuntime on the Wasm board) writes a model blob and evaluates it on the prebuilt Mote Runtime image in the
// board worker. No request for the in-browser compiler (@yowasp/clang, its llvm files) is ever made, and it
// works offline from the first load: once the service worker is ready, the network goes away and Run still
// completes, every stage, bit-exact with the browser's integer reference.
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, openApp, pageErrors } from './app-helpers';

let browser: { context: BrowserContext; close: () => Promise<void> };
const requested: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  // Pages, their workers and the service worker: every URL asked for, served from the network or a cache.
  browser.context.on('request', (request) => requested.push(request.url()));
});
afterAll(async () => { await browser?.close(); });

const COMPILER = /yowasp|clang|llvm/i;
const compilerRequests = () => requested.filter((url) => COMPILER.test(url));

test('every file of the in-browser compiler in the built app is named for it (so the request check below sees it)', () => {
  const assets = readdirSync('dist/assets').filter((name) => name.endsWith('.js'));
  const compilerCode = assets.filter((name) => readFileSync(`dist/assets/${name}`, 'utf8').includes('node_modules/@yowasp/clang/'));
  expect(compilerCode.length).toBeGreaterThan(0);
  expect(compilerCode.filter((name) => !COMPILER.test(name))).toEqual([]);
});

test('first load, then offline: the default Run completes on the Mote Runtime, with no request for the compiler', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  // The precache is complete once the service worker is active; it then controls this page (clientsClaim).
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller)), { timeout: 30_000 }).toBe(true);
  await browser.context.setOffline(true);
  try {
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await page.getByTestId('run-button').click();
    await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
    const stages = page.getByTestId('stages');
    const status = (id: string) => stages.locator(`[data-stage="${id}"]`).getAttribute('data-status');
    const message = (id: string) => stages.locator(`[data-stage="${id}"] .message`).textContent();
    for (const id of ['check', 'preprocess_data', 'train', 'prepare_deploy', 'deploy_and_evaluate']) expect(await status(id), `${id}: ${await message(id)}`).toBe('completed');
    // prepare_deploy wrote the model blob (no C); the Wasm board ran it, as deploy.target asks (no fallback).
    expect(await message('prepare_deploy')).toMatch(/^out\/deploy\/Wasm\/digits_cnn_fused_q8_\S+_qint8_o_c1_r1\/: 1 files, arena \d+ B, weights \d+ B, \d+ MACs$/);
    const evaluated = await message('deploy_and_evaluate');
    expect(evaluated).toMatch(/^\S+ int8 on the Wasm board: accuracy [\d.]+ % \(reference [\d.]+ %\), bit-exact, 100 vectors$/);
    const accuracy = /accuracy ([\d.]+) % \(reference ([\d.]+) %\)/.exec(evaluated ?? '')!;
    expect(accuracy[1]).toBe(accuracy[2]);
    // The Results page says which route ran.
    await goTo(page, 'Results');
    expect(await page.getByTestId('board-route').textContent()).toMatch(/^runtime route: a \d+ B model blob on the prebuilt Mote Runtime \(CRC 0x[0-9a-f]{8}\), no compiler$/);
    // Its per-vector report reaches the Boards page: 100 rows, none differing from the reference.
    await goTo(page, 'Boards');
    const evaluation = page.getByTestId('evaluation');
    expect(await evaluation.locator('tbody tr').count()).toBe(100);
    expect(await evaluation.locator('tr.mismatch').count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
  } finally {
    await browser.context.setOffline(false);
  }
  // The runtime image was fetched (so worker requests are seen here) — and nothing of the compiler.
  expect(requested.some((url) => /\/assets\/mote-runtime-[^/]*\.wasm$/.test(url)), requested.join('\n')).toBe(true);
  expect(compilerRequests()).toEqual([]);
  await page.close();
});
