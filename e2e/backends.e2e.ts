// Training uses WebGPU where the browser has an adapter and falls back to WASM otherwise; the status bar
// and the train stage say which one ran.
import { expect, inject, test } from 'vitest';
import { launchBrowser } from './browser';
import { TINY_TOML, importExperiment, openApp, pageErrors } from './app-helpers';

// KNOWN BUG (training area, reported): on Chromium 156's SwiftShader adapter, training in the worker on
// WebGPU stops with "Failed to execute 'mapAsync' on 'GPUBuffer': A valid external Instance reference no
// longer exists." The WebGPU case is declared failing so the suite stays meaningful; it turns red (and this
// marker must go) as soon as WebGPU training works.
for (const [webgpu, shown, used] of [[true, 'WebGPU', 'webgpu'], [false, 'WASM', 'wasm']] as const) {
  (webgpu ? test.fails : test)(`${webgpu ? 'with' : 'without'} a WebGPU adapter, training runs on ${shown}`, async () => {
    const browser = await launchBrowser({ webgpu });
    try {
      const page = await openApp(browser.context, inject('appUrl'));
      await expect.poll(() => page.getByTestId('backend-status').textContent()).toBe(shown);
      await importExperiment(page, `${used}.toml`, TINY_TOML); // one epoch of a small MLP: quick even on SwiftShader
      await page.getByTestId('run-button').click();
      const train = page.getByTestId('stages').locator('[data-stage="train"]');
      await expect.poll(() => train.getAttribute('data-status'), { timeout: 170_000, interval: 500 }).toMatch(/completed|failed/);
      const message = await train.locator('.message').textContent();
      expect(message, message ?? '').toMatch(new RegExp(`trained on ${used}`));
      expect(await page.getByTestId('backend-status').textContent()).toBe(shown);
      expect(pageErrors(page)).toEqual([]);
    } finally {
      await browser.close();
    }
  });
}

test('with a WebGPU adapter the app offers WebGPU before any training', async () => {
  const browser = await launchBrowser({ webgpu: true });
  try {
    const page = await openApp(browser.context, inject('appUrl'));
    await expect.poll(() => page.getByTestId('backend-status').textContent()).toBe('WebGPU');
  } finally {
    await browser.close();
  }
});
