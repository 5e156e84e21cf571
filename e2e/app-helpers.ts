// Shared steps of the app's browser tests: open the built app, bring in an experiment, read the editor.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';

export const TINY_TOML = readFileSync(join(__dirname, 'samples', 'tiny.toml'), 'utf8');

/** Opens the app (optionally at a hash) and waits until it has opened its storage. */
export async function openApp(context: BrowserContext, url: string, hash = ''): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(url + hash);
  await page.waitForSelector('html[data-mote-ready="true"]');
  return page;
}

export function pageErrors(page: Page): string[] {
  return (page as Page & { errors?: string[] }).errors ?? [];
}

export async function goTo(page: Page, title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: title, exact: true }).click();
}

/** Imports a TOML file through the Share page, as a user would; the editor then shows it. */
export async function importExperiment(page: Page, fileName: string, toml: string): Promise<void> {
  await goTo(page, 'Share');
  await page.getByTestId('import-toml').setInputFiles({ name: fileName, mimeType: 'application/toml', buffer: Buffer.from(toml) });
  await page.locator('.cm-content').waitFor();
}

export async function editorText(page: Page): Promise<string> {
  await page.locator('.cm-content').waitFor();
  // CodeMirror renders only the lines in view; its view (reachable from the content element) holds them all.
  return page.evaluate(() => {
    const host = document.querySelector('[data-testid="toml-editor"]') as (Element & { editorView?: { state: { doc: { toString(): string } } } }) | null;
    const view = host?.editorView;
    if (!view) throw new Error('the editor is not a CodeMirror 6 view');
    return view.state.doc.toString();
  });
}

/** Appends text at the end of the document (insertText: no key events, so completion never interferes). */
export async function appendToEditor(page: Page, text: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(text);
}

export async function waitSaved(page: Page): Promise<void> {
  await page.getByTestId('save-status').filter({ hasText: 'All changes saved' }).waitFor();
}
