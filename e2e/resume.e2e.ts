// Runs survive a reload: the default experiment is run once without interruption, then again with a reload in
// the middle of its training; the Editor says where the run stopped and how far its training was saved, and
// "Resume the run" goes on from the last epoch's checkpoint to the same accuracies as the uninterrupted run.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, openApp, pageErrors } from './app-helpers';

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

async function figures(page: Page): Promise<{ board: string | null; float: string | null; train: string; board_stage: string }> {
  await page.getByRole('heading', { level: 2, name: /^Results/ }).waitFor({ timeout: 170_000 });
  const stage = (id: string) => page.getByTestId('stages').locator(`[data-stage="${id}"] .message`).innerText();
  return {
    board: await page.getByTestId('board-accuracy').textContent(),
    float: await page.getByTestId('float-accuracy').textContent(),
    // "1 model trained on wasm; test accuracy 95.21 %" (and, when resumed, a note saying so).
    train: (await stage('train')).match(/test accuracy [\d.]+ %/)?.[0] ?? '',
    // "… on the Wasm board: accuracy 96.00 % (reference 96.00 %), bit-exact, 100 vectors"
    board_stage: (await stage('deploy_and_evaluate')).match(/accuracy [\d.]+ % \(reference [\d.]+ %\), bit-exact/)?.[0] ?? '',
  };
}

test('a reload mid-training offers to resume; the resumed run ends with the accuracies of an uninterrupted seeded run', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await page.getByTestId('run-button').click();
  const whole = await figures(page);
  expect(whole.board).toMatch(/^\d+\.\d %$/);
  expect(whole.train).toMatch(/test accuracy/);
  expect(whole.board_stage).toMatch(/bit-exact/);

  await goTo(page, 'Editor');
  await page.getByTestId('run-button').click();
  // Reload once at least two of the 20 epochs are done (each ends with a checkpoint saved before the next starts).
  const trainMessage = page.getByTestId('stages').locator('[data-stage="train"] .message', { hasText: /epoch ([3-9]|1\d)\/20/ });
  await trainMessage.waitFor({ timeout: 120_000 });
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');

  const notice = page.getByTestId('interrupted-run');
  await notice.waitFor();
  await expect.poll(() => notice.innerText(), { timeout: 10_000 }).toMatch(/interrupted during Train: the page was reloaded or closed\. Its training was saved after epoch (\d+) \(digits_cnn_r1\)/);
  const savedEpoch = Number((await notice.innerText()).match(/saved after epoch (\d+)/)![1]);
  expect(savedEpoch).toBeGreaterThanOrEqual(2);
  expect(savedEpoch).toBeLessThan(20);

  await page.getByTestId('resume-run').click();
  const resumed = await figures(page);
  // It went on from the checkpoint rather than training again from the start…
  expect(await page.getByTestId('stages').locator('[data-stage="train"] .message').innerText()).toMatch(new RegExp(`resumed 'digits_cnn' after epoch ${savedEpoch} of 20 from its checkpoint`));
  // …and ends exactly where the uninterrupted run ended.
  expect(resumed).toEqual(whole);
  await expect.poll(() => notice.count()).toBe(0);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});
