// The edges a person meets (issue 16): a link too large to open is refused when it is made, with the file
// offered instead; a second link in the same tab gets its own answer; a whole experiment pasted over the
// open one is asked about and the "started from" line stays true; messages never cover the Problems list.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { launchBrowser } from './browser';
import { TINY_TOML, editorText, goTo, importExperiment, openApp, pageErrors } from './app-helpers';

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

/** The tiny experiment with 120 KB of notes: it deflates to a link of ~40 KB that the decoder would refuse. */
const LARGE_TOML = `${TINY_TOML.replace('e2e_tiny', 'e2e_large')}${Array.from({ length: 3000 }, (_, i) => `# note ${i}: measured on the bench, kept for the record\n`).join('')}`;

test('a share link of a large experiment is refused when it is made, and the file is offered instead', async () => {
  expect(LARGE_TOML.length).toBeGreaterThan(120_000);
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'large.toml', LARGE_TOML);
  await goTo(page, 'Share');
  await page.getByRole('button', { name: /Create a link/ }).click();
  const refusal = page.getByTestId('share-link-refused');
  await refusal.waitFor();
  expect(await refusal.textContent()).toMatch(/This experiment is 1\d\d\.\d KiB of text; a share link carries at most 64 KiB.*Send the experiment as a \.toml file instead/);
  expect(await page.getByTestId('share-link').count()).toBe(0); // no link that would not open
  const download = page.waitForEvent('download');
  await refusal.getByTestId('share-download-instead').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('e2e_large.toml');
  const { readFile } = await import('node:fs/promises');
  expect(await readFile((await file.path())!, 'utf8')).toBe(LARGE_TOML);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});

test('a second bad link opened in the same tab shows its own error, and a good one after it opens', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await page.evaluate(() => { location.hash = '#toml=abc+def'; });
  const dialog = page.getByTestId('shared-link-dialog');
  await expect.poll(() => dialog.getByTestId('shared-link-error').textContent()).toMatch(/character 4 of the link data is "\+"/);
  // Without closing the first dialog, the address changes to another broken link (a hash change, no reload).
  await page.evaluate(() => { location.hash = '#toml=abcde'; });
  await expect.poll(() => dialog.getByTestId('shared-link-error').textContent()).toMatch(/5 characters long/);
  expect(await dialog.getByTestId('shared-link-raw').textContent()).toBe('#toml=abcde');
  await dialog.getByRole('button', { name: 'Close' }).click();
  // After closing, a third link (a good one) in the same tab opens too.
  const { encodeShareLink } = await import('../src/core/config/share');
  const good = encodeShareLink(TINY_TOML, inject('appUrl'));
  await page.evaluate((hash) => { location.hash = hash; }, good.slice(good.indexOf('#')));
  await page.getByTestId('shared-link-dialog').getByTestId('shared-name').filter({ hasText: 'e2e_tiny' }).waitFor();
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});

/** Selects the whole text and pastes `text` as a person would (a real clipboard paste event). */
async function pasteOverEverything(page: import('playwright-core').Page, text: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+a');
  await page.evaluate((pasted) => {
    const data = new DataTransfer();
    data.setData('text/plain', pasted);
    document.querySelector('.cm-content')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

test('pasting another whole experiment over the open one asks first; either answer keeps the labels true', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'paste-target.toml', TINY_TOML.replace('e2e_tiny', 'e2e_paste_target'));
  const origin = page.getByTestId('experiment-origin');
  expect(await origin.textContent()).toMatch(/started from paste-target\.toml on /);
  const other = TINY_TOML.replace('e2e_tiny', 'e2e_pasted');

  // Answer 1: open it as a new experiment; the open one is untouched.
  await pasteOverEverything(page, other);
  const question = page.getByTestId('paste-question');
  await question.waitFor();
  expect(await question.textContent()).toMatch(/You pasted a whole experiment, e2e_pasted, over e2e_paste_target\. Nothing has changed yet\./);
  expect(await editorText(page)).toContain('e2e_paste_target');
  // The first answer has the focus: Enter takes it.
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'e2e_pasted', exact: true, level: 2 }).waitFor();
  expect(await editorText(page)).toBe(other);
  expect(await origin.textContent()).toMatch(/started from pasted text on /);
  await goTo(page, 'Experiments');
  await page.getByRole('button', { name: 'e2e_paste_target', exact: true }).first().click();
  await page.getByRole('heading', { name: 'e2e_paste_target', exact: true, level: 2 }).waitFor();
  expect(await editorText(page)).toBe(TINY_TOML.replace('e2e_tiny', 'e2e_paste_target'));

  // Answer 2: replace the text; the name and the "started from" line follow the new text.
  const third = TINY_TOML.replace('e2e_tiny', 'e2e_replacement');
  await pasteOverEverything(page, third);
  await question.getByRole('button', { name: /^Replace the text of/ }).click();
  await page.getByRole('heading', { name: 'e2e_replacement', exact: true, level: 2 }).waitFor();
  expect(await editorText(page)).toBe(third);
  expect(await origin.textContent()).toMatch(/started from pasted text on /);
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  expect(await editorText(page)).toBe(third);

  // Pasting part of a text, or a newer version of the same experiment, is ordinary editing: no question.
  await pasteOverEverything(page, `${third}# newer\n`);
  await expect.poll(() => editorText(page)).toBe(`${third}# newer\n`);
  expect(await question.count()).toBe(0);

  // A paste is saved at once; the name it brings (pasted over the old name only) follows once it is checked.
  await page.evaluate(() => {
    const view = (document.querySelector('[data-testid="toml-editor"]') as HTMLElement & { editorView: import('@codemirror/view').EditorView }).editorView;
    const from = view.state.doc.toString().indexOf('e2e_replacement');
    view.dispatch({ selection: { anchor: from, head: from + 'e2e_replacement'.length } });
    const data = new DataTransfer();
    data.setData('text/plain', 'e2e_renamed_by_paste');
    document.querySelector('.cm-content')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
  await page.getByRole('heading', { name: 'e2e_renamed_by_paste', exact: true, level: 2 }).waitFor();
  await expect.poll(() => page.getByTestId('save-status').textContent()).toBe('All changes saved');
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  await page.getByRole('heading', { name: 'e2e_renamed_by_paste', exact: true, level: 2 }).waitFor();
  expect(await editorText(page)).toBe(`${third.replace('e2e_replacement', 'e2e_renamed_by_paste')}# newer\n`);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});

test('messages never cover the Problems list', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'notices.toml', TINY_TOML.replace('e2e_tiny', 'e2e_notices'));
  // An error message (they stay until dismissed) and a problem in the text, both on screen at once.
  await goTo(page, 'Share');
  await page.getByTestId('import-toml').setInputFiles({ name: 'huge.toml', mimeType: 'application/toml', buffer: Buffer.alloc(2 * 1024 * 1024, 0x23) });
  await page.getByRole('alert').filter({ hasText: 'huge.toml is 2048 KiB' }).waitFor();
  await goTo(page, 'Editor');
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('broken = = 3\n');
  const problems = page.getByTestId('problems');
  await problems.waitFor();
  for (const size of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(size);
    const notice = await page.getByRole('alert').filter({ hasText: 'huge.toml' }).boundingBox();
    const list = await problems.boundingBox();
    expect(notice && list).toBeTruthy();
    const overlap = notice!.x < list!.x + list!.width && list!.x < notice!.x + notice!.width && notice!.y < list!.y + list!.height && list!.y < notice!.y + notice!.height;
    expect(overlap, `at ${size.width}×${size.height}: message ${JSON.stringify(notice)} over problems ${JSON.stringify(list)}`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.close();
});
