// Pictures from the camera on the Data page, with Chromium's fake camera (a moving test pattern) allowed
// without a prompt: pictures of two classes are saved, resized to 32 × 32 RGB, into a stored dataset (its export
// writes them as PNG class folders).
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, openApp, pageErrors } from './app-helpers';

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser({ fakeMedia: true }); });
afterAll(async () => { await browser?.close(); });

test('the camera records labelled pictures of two classes, resized, into a stored dataset', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await goTo(page, 'Data');
  const camera = page.getByTestId('camera-recorder');
  await camera.getByRole('button', { name: 'Start camera' }).click();
  await expect.poll(() => camera.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15_000 }).toBeGreaterThan(0);
  for (const [label, count] of [['cat', 2], ['dog', 2]] as const) {
    await camera.getByTestId('camera-label').fill(label);
    for (let i = 1; i <= count; i++) {
      await camera.getByRole('button', { name: 'Take picture' }).click();
      await expect.poll(() => camera.getByTestId('camera-message').textContent().catch(() => ''), { timeout: 10_000 }).toMatch(new RegExp(`^Saved picture '${label}' #${i} to 'pictures' \\(32 × 32`));
    }
  }
  // What was stored: 4 pictures of [32, 32, 3], two classes, pixels not all one value (a real frame).
  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('mote'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const all = <T,>(table: string) => new Promise<T[]>((resolve, reject) => { const r = db.transaction(table).objectStore(table).getAll(); r.onsuccess = () => resolve(r.result as T[]); r.onerror = () => reject(r.error); });
    const infos = await all<{ name: string; shape: number[]; classNames: string[]; sampleCount: number; id: string }>('datasets');
    const chunks = await all<{ datasetId: string; values: Uint8Array }>('datasetChunks');
    db.close();
    const info = infos.find((d) => d.name === 'pictures')!;
    const values = chunks.filter((c) => c.datasetId === info.id).flatMap((c) => Array.from(c.values));
    return { shape: info.shape, classNames: info.classNames, sampleCount: info.sampleCount, values: values.length, distinct: new Set(values).size };
  });
  expect(stored).toMatchObject({ shape: [32, 32, 3], classNames: ['cat', 'dog'], sampleCount: 4, values: 4 * 32 * 32 * 3 });
  expect(stored.distinct).toBeGreaterThan(8);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});
