// Training runs in the worker with live progress; one run is cancelled mid-training, the next completes,
// and the Train page shows curves, the backend, throughput and the confusion matrix.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, openApp, pageErrors } from './app-helpers';

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

test('a training is cancelled mid-way, the next one completes with curves and a confusion matrix', async () => {
  const page = await openApp(browser.context, inject('appUrl'), '#/train');
  const train = page.getByTestId('stages').locator('[data-stage="train"]');

  await page.getByTestId('run-button').click();
  // Wait for live progress (an epoch message and a progress bar), then cancel before the last epoch.
  await train.locator('.message', { hasText: /epoch \d+\/20/ }).waitFor({ timeout: 120_000 });
  await train.locator('progress').waitFor();
  const before = await train.locator('.message').textContent();
  expect(Number(/epoch (\d+)\/20/.exec(before ?? '')?.[1])).toBeLessThan(20);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => train.getAttribute('data-status'), { timeout: 60_000 }).toBe('cancelled');
  await page.getByTestId('run-status').filter({ hasText: 'cancelled' }).waitFor();
  expect(await page.getByTestId('stages').locator('[data-stage="prepare_deploy"]').getAttribute('data-status')).toBe('skipped');

  await page.getByTestId('run-button').click();
  await expect.poll(() => train.getAttribute('data-status'), { timeout: 170_000, interval: 500 }).toBe('completed');
  expect(await train.locator('.message').textContent()).toMatch(/1 model trained on (wasm|webgpu|cpu); test accuracy [\d.]+ %/);
  expect(await page.getByTestId('train-backend').textContent()).toMatch(/^(WASM|WebGPU|CPU)$/);
  await page.locator('figure.chart canvas').first().waitFor();
  expect(await page.locator('figure.chart').count()).toBe(2);
  const confusion = page.getByRole('table', { name: /Confusion matrix/ });
  expect(await confusion.locator('tbody tr').count()).toBe(10);

  // Both runs are recorded, with their outcome (the second goes on to generate and evaluate the C).
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  await goTo(page, 'Experiments');
  const statuses = await page.locator('.badge').allTextContents();
  expect(statuses.slice(0, 2)).toEqual(['completed', 'cancelled']);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});
