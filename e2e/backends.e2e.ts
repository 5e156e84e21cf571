// The status bar says which compute training gets: WebGPU where the browser has an adapter, WASM otherwise.
import { expect, inject, test } from 'vitest';
import { launchBrowser } from './browser';
import { openApp } from './app-helpers';

test('with a WebGPU adapter the app offers WebGPU', async () => {
  const browser = await launchBrowser({ webgpu: true });
  try {
    const page = await openApp(browser.context, inject('appUrl'));
    await expect.poll(() => page.getByTestId('backend-status').textContent()).toBe('WebGPU');
  } finally {
    await browser.close();
  }
});

test('without one it falls back to WASM', async () => {
  const browser = await launchBrowser();
  try {
    const page = await openApp(browser.context, inject('appUrl'));
    await expect.poll(() => page.getByTestId('backend-status').textContent()).toBe('WASM');
  } finally {
    await browser.close();
  }
});
