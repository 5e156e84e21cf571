// Every page passes axe-core's WCAG A/AA rules (no serious or critical violation), and the main controls
// are reachable with the keyboard alone.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { TINY_TOML, goTo, importExperiment, openApp } from './app-helpers';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PAGES = ['Experiments', 'Editor', 'Data', 'Train', 'Results', 'Deploy', 'Boards', 'Share'];

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

interface AxeViolation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }

async function axe(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } })
      .axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
}

test('no serious accessibility violation on any page', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'a11y.toml', TINY_TOML);
  const report: string[] = [];
  for (const title of PAGES) {
    await goTo(page, title);
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    if (title === 'Editor') await page.locator('.cm-content').waitFor();
    for (const v of await axe(page)) {
      if (v.impact === 'serious' || v.impact === 'critical') report.push(`${title}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  // The offline panel (opened from the status bar) too.
  await page.getByTestId('offline-status').click();
  await page.getByTestId('offline-panel').waitFor();
  for (const v of await axe(page)) {
    if (v.impact === 'serious' || v.impact === 'critical') report.push(`offline panel: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }
  expect(report).toEqual([]);
  await page.close();
});

test('the pages and the Run button are reachable with the keyboard', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await importExperiment(page, 'keyboard.toml', TINY_TOML);
  await page.reload();
  await page.waitForSelector('html[data-mote-ready="true"]');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
  const reached = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute('data-testid') ?? el.textContent?.trim() ?? '') : '';
    });
    reached.add(label);
  }
  for (const title of PAGES) expect(reached, `nav link ${title}`).toContain(title);
  await goTo(page, 'Editor');
  await page.getByTestId('run-button').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.getByTestId('stages').locator('[data-stage="check"]').getAttribute('data-status')).not.toBe('waiting');
  await page.close();
});

test('no serious accessibility violation on the pages that show a finished run', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await goTo(page, 'Experiments');
  await page.getByRole('button', { name: 'New from the default experiment' }).click();
  await page.locator('.cm-content').waitFor();
  await page.getByTestId('run-button').click();
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  await page.getByTestId('results-headline').waitFor();
  const report: string[] = [];
  for (const title of ['Results', 'Train', 'Deploy', 'Experiments']) {
    await goTo(page, title);
    await page.getByRole('heading', { level: 2 }).first().waitFor();
    if (title === 'Train') await page.getByTestId('model-summary').waitFor();
    for (const v of await axe(page)) {
      if (v.impact === 'serious' || v.impact === 'critical') report.push(`${title}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  expect(report).toEqual([]);
  await page.close();
});
