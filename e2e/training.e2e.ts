// Training runs in the worker with live progress; one run is cancelled mid-training, the next completes,
// and the Train page shows curves, the backend, throughput and the confusion matrix.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';
import { TINY_TOML, goTo, importExperiment, openApp, pageErrors } from './app-helpers';

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
  // Per class: precision, recall and F1 of the float model on the 355 test samples, said so.
  const perClass = page.getByTestId('per-class');
  expect(await perClass.innerText()).toMatch(/float model after training .* on the test set: 355 samples/);
  const classRows = perClass.locator('tbody tr');
  expect(await classRows.count()).toBe(10);
  expect(await classRows.first().innerText()).toMatch(/^0\s+[01]\.\d{3}\s+[01]\.\d{3}\s+[01]\.\d{3}\s+\d+$/);
  // The digits split has no validation set: the page says so and how to get one.
  expect(await page.getByTestId('no-validation').textContent()).toMatch(/use_test_as_valid = true/);
  // Model summary: every layer with its output shape, parameters and MACs, and the totals.
  const summary = page.getByTestId('model-summary');
  await summary.waitFor();
  expect(await summary.locator('tbody tr').first().innerText()).toMatch(/Input\s+8 × 8 × 1/);
  expect(await summary.locator('tbody tr', { hasText: 'Conv' }).first().innerText()).toMatch(/Conv\s+8 × 8 × 8\s+72\s+4,608/);
  expect(await summary.locator('tfoot').innerText()).toMatch(/Total\s+[\d,]+\s+[\d,]+/);

  // Both runs are recorded, with their outcome (the second goes on to generate and evaluate the C).
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  await goTo(page, 'Experiments');
  const statuses = await page.locator('.badge').allTextContents();
  expect(statuses.slice(0, 2)).toEqual(['completed', 'cancelled']);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});

test('with use_test_as_valid and a scheduler: the test curve is named as such and the learning rate is drawn', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  const toml = TINY_TOML.replace('e2e_tiny', 'e2e_scheduled').replace('last_run = 1', 'last_run = 1\nuse_test_as_valid = true').replace('epochs = 1', 'epochs = 3')
    + '\n[model_template.optimizer]\nkind = "Adam"\nparams.lr = 0.002\n\n[model_template.optimizer.scheduler]\nkind = "StepLR"\nparams.step_size = 1\nparams.gamma = 0.5\n';
  await importExperiment(page, 'scheduled.toml', toml);
  await goTo(page, 'Train');
  await page.getByTestId('run-button').click();
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  await page.getByTestId('model-summary').waitFor();
  const charts = page.locator('figure.chart');
  expect(await charts.count()).toBe(3);
  expect(await charts.nth(0).locator('.legend').innerText()).toMatch(/train\s+[\d.]+\s+test \(used as validation\)\s+[\d.]+/);
  expect(await charts.nth(2).locator('figcaption').textContent()).toBe('Learning rate (StepLR)');
  // StepLR halves 0.002 after each epoch: the third epoch trains at 0.0005.
  expect(await charts.nth(2).locator('.legend').innerText()).toMatch(/learning rate\s+5\.00e-4/);
  expect(await page.getByTestId('no-validation').count()).toBe(0);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});
