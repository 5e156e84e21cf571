// Training uses WebGPU where the browser has a hardware adapter and falls back to WASM otherwise; the status
// bar and the train stage say which one ran. A software adapter (SwiftShader, as on CI) is slower than WASM,
// so the app uses it only when asked for: `?backend=webgpu` in the page address (training-client.ts).
import type { Page } from 'playwright-core';
import { expect, inject, test } from 'vitest';
import { launchBrowser } from './browser';
import { TINY_TOML, importExperiment, openApp, pageErrors } from './app-helpers';

/**
 * Runs the imported experiment and, while it trains, reads the train stage's progress line
 * ("<model>: epoch E/N, loss L, …"); returns the last running mean loss seen in each epoch and the final message.
 */
async function runAndWatchLoss(page: Page): Promise<{ lossByEpoch: Map<number, number>; status: string; message: string }> {
  await page.getByTestId('run-button').click();
  const train = page.getByTestId('stages').locator('[data-stage="train"]');
  const lossByEpoch = new Map<number, number>();
  const deadline = Date.now() + 170_000;
  for (;;) {
    const [status, message] = await Promise.all([train.getAttribute('data-status'), train.locator('.message').textContent()]);
    const progress = /epoch (\d+)\/\d+, loss ([\d.]+)/.exec(message ?? '');
    if (progress) lossByEpoch.set(Number(progress[1]), Number(progress[2]));
    if (status === 'completed' || status === 'failed') return { lossByEpoch, status, message: message ?? '' };
    if (Date.now() > deadline) throw new Error(`the train stage did not finish within 170 s (status ${status}, message '${message}')`);
    await page.waitForTimeout(100);
  }
}

test('with a WebGPU adapter and ?backend=webgpu, training runs on WebGPU and the loss decreases', async () => {
  const browser = await launchBrowser({ webgpu: true });
  try {
    const page = await openApp(browser.context, `${inject('appUrl')}?backend=webgpu`);
    await expect.poll(() => page.getByTestId('backend-status').textContent()).toBe('WebGPU');
    // Three epochs of a small MLP on Digits: a few seconds each on SwiftShader.
    await importExperiment(page, 'webgpu.toml', TINY_TOML.replace('epochs = 1', 'epochs = 3'));
    const { lossByEpoch, status, message } = await runAndWatchLoss(page);
    expect(status, message).toBe('completed');
    expect(message).toMatch(/trained on webgpu/);
    expect([...lossByEpoch.keys()].sort(), `losses seen: ${JSON.stringify([...lossByEpoch])}`).toEqual([1, 2, 3]);
    expect(lossByEpoch.get(3)!).toBeLessThan(lossByEpoch.get(1)!);
    expect(await page.getByTestId('backend-status').textContent()).toBe('WebGPU');
    expect(pageErrors(page)).toEqual([]);
  } finally {
    await browser.close();
  }
});

// Unless asked for, training avoids a software WebGPU adapter as it does a missing one.
test.each([
  { name: 'without a WebGPU adapter', webgpu: false, offered: 'WASM' },
  { name: 'with only a software WebGPU adapter and no request for it', webgpu: true, offered: 'WebGPU' },
])('$name, training runs on WASM', async ({ webgpu, offered }) => {
  const browser = await launchBrowser({ webgpu });
  try {
    const page = await openApp(browser.context, inject('appUrl'));
    await expect.poll(() => page.getByTestId('backend-status').textContent()).toBe(offered);
    await importExperiment(page, 'wasm.toml', TINY_TOML);
    const { status, message } = await runAndWatchLoss(page);
    expect(status, message).toBe('completed');
    expect(message).toMatch(/trained on wasm/);
    expect(await page.getByTestId('backend-status').textContent()).toBe('WASM');
    expect(pageErrors(page)).toEqual([]);
  } finally {
    await browser.close();
  }
});

test('with a WebGPU adapter the app offers WebGPU before any training', async () => {
  const browser = await launchBrowser({ webgpu: true });
  try {
    const page = await openApp(browser.context, inject('appUrl'));
    await expect.poll(() => page.getByTestId('backend-status').textContent()).toBe('WebGPU');
  } finally {
    await browser.close();
  }
});
