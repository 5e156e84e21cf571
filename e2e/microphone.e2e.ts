// Sound clips from the microphone on the Data page, with Chromium's fake microphone (a beep tone, allowed
// without a prompt): clips of two classes are saved as 1 s of 16 kHz mono 16-bit PCM into a stored dataset,
// and each holds sound (the beeps), not silence.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, openApp, pageErrors } from './app-helpers';

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser({ fakeMedia: true }); });
afterAll(async () => { await browser?.close(); });

test('the microphone records labelled 1 s clips of two classes, at 16 kHz, into a stored dataset', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await goTo(page, 'Data');
  const microphone = page.getByTestId('microphone-recorder');
  await microphone.getByRole('button', { name: 'Start microphone' }).click();
  await expect.poll(() => microphone.getByTestId('microphone-status').textContent().catch(() => ''), { timeout: 15_000 }).toMatch(/^Microphone on, \d+ samples per second/);
  for (const [label, count] of [['yes', 2], ['no', 2]] as const) {
    await microphone.getByTestId('microphone-label').fill(label);
    for (let i = 1; i <= count; i++) {
      await microphone.getByRole('button', { name: 'Record 1 s clip' }).click();
      await expect.poll(() => microphone.getByTestId('microphone-message').textContent().catch(() => ''), { timeout: 15_000 })
        .toMatch(new RegExp(`^Saved clip '${label}' #${i} to 'sounds' \\(1 s at 16 kHz, peak -?\\d+ dBFS; ${label === 'yes' ? i : 2 + i} clips\\)`));
    }
  }
  expect(await microphone.getByTestId('microphone-error').count()).toBe(0);
  // What was stored: 4 clips of [16000, 1] at 16 kHz, two classes, each with samples well above silence.
  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => { const r = indexedDB.open('mote'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); });
    const all = <T,>(table: string) => new Promise<T[]>((resolve, reject) => { const r = db.transaction(table).objectStore(table).getAll(); r.onsuccess = () => resolve(r.result as T[]); r.onerror = () => reject(r.error); });
    const infos = await all<{ name: string; modality: string; dtype: string; shape: number[]; rateHz: number; classNames: string[]; sampleCount: number; id: string }>('datasets');
    const chunks = await all<{ datasetId: string; count: number; labels: Int32Array; values: Int16Array }>('datasetChunks');
    db.close();
    const info = infos.find((d) => d.name === 'sounds')!;
    const mine = chunks.filter((c) => c.datasetId === info.id);
    const values = mine.flatMap((c) => Array.from(c.values));
    const clips = Array.from({ length: values.length / 16000 }, (_, i) => values.slice(i * 16000, (i + 1) * 16000));
    return {
      modality: info.modality, dtype: info.dtype, shape: info.shape, rateHz: info.rateHz, classNames: info.classNames, sampleCount: info.sampleCount,
      int16: mine.every((c) => c.values instanceof Int16Array), values: values.length, labels: mine.flatMap((c) => Array.from(c.labels)),
      peaks: clips.map((clip) => Math.max(...clip.map(Math.abs))), loud: clips.map((clip) => clip.filter((v) => Math.abs(v) > 1000).length),
    };
  });
  console.log(`stored clips: peaks ${stored.peaks.join(', ')}; samples above 1000: ${stored.loud.join(', ')}`);
  expect(stored).toMatchObject({ modality: 'audio', dtype: 'int16', shape: [16000, 1], rateHz: 16000, classNames: ['yes', 'no'], sampleCount: 4, int16: true, values: 4 * 16000, labels: [0, 0, 1, 1] });
  for (const [i, peak] of stored.peaks.entries()) {
    expect(peak, `clip ${i} peak`).toBeGreaterThan(1000);
    expect(stored.loud[i], `clip ${i}: samples above 1000`).toBeGreaterThan(50);
  }
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});

test.each([
  ['no-devices', /^No microphone was found: plug one in or switch it on, then start again\.$/],
  ['denied', /^The microphone was not allowed: allow it in the address bar \(or the system's privacy settings\), then start again\.$/],
] as const)('a missing or refused microphone (%s) is said in plain words', async (media, message) => {
  const other = await launchBrowser({ media });
  try {
    const page = await openApp(other.context, inject('appUrl'));
    await goTo(page, 'Data');
    const microphone = page.getByTestId('microphone-recorder');
    await microphone.getByRole('button', { name: 'Start microphone' }).click();
    await expect.poll(() => microphone.getByTestId('microphone-error').textContent().catch(() => ''), { timeout: 15_000 }).toMatch(message);
    expect(await microphone.getByRole('button', { name: 'Start microphone' }).count()).toBe(1);
    expect(pageErrors(page)).toEqual([]);
  } finally {
    await other.close();
  }
});
