// "Try it live" after the default Run: a "1" drawn with the mouse (a vertical stroke) on the Results page is
// classified by the run's float model (tfjs) and by Mote's integer reference; both answers are shown, they
// agree, and they read a 1. The panel is also reachable by keyboard (a test digit, Clear) and axe-clean.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { openApp, pageErrors } from './app-helpers';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let browser: { context: BrowserContext; close: () => Promise<void> };
beforeAll(async () => { browser = await launchBrowser(); });
afterAll(async () => { await browser?.close(); });

async function seriousViolations(page: Page, selector: string): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (include) => {
    const axe = (window as unknown as { axe: { run(context: object, options: object): Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run({ include: [include] }, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, selector);
}

test('a digit drawn after the default Run is classified by the float model and the integer reference, which agree', async () => {
  const page = await openApp(browser.context, inject('appUrl'));
  await page.getByTestId('run-button').click();
  await page.getByTestId('live-progress').waitFor();
  await expect.poll(() => page.getByTestId('run-button').isEnabled(), { timeout: 170_000, interval: 500 }).toBe(true);
  await page.getByRole('heading', { level: 2, name: /^Results/ }).waitFor();
  const panel = page.getByTestId('try-live');
  const canvas = panel.getByTestId('try-live-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  // A "1": one vertical stroke down the middle of the box.
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.12);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.88, { steps: 12 });
  await page.mouse.up();
  await panel.getByTestId('try-live-agreement').waitFor({ timeout: 30_000 });
  const floatClass = await panel.getByTestId('try-live-float-class').textContent();
  const integerClass = await panel.getByTestId('try-live-integer-class').textContent();
  expect(await panel.getByTestId('try-live-float').innerText()).toMatch(/Float model \(tfjs\)[\s\S]*\d+\.\d %/);
  expect(await panel.getByTestId('try-live-integer').innerText()).toMatch(/integer reference \(int8\)[\s\S]*\d+\.\d %/);
  expect({ floatClass, integerClass }).toEqual({ floatClass: '1', integerClass: '1' });
  expect(await panel.getByTestId('try-live-agreement').textContent()).toBe('Both say 1.');

  // Keyboard: Clear empties the answers; a test digit is answered without drawing.
  await panel.getByRole('button', { name: 'Clear drawing' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => panel.getByTestId('try-live-agreement').count()).toBe(0);
  await panel.getByRole('button', { name: 'Try a digit from the test set' }).focus();
  await page.keyboard.press('Enter');
  await panel.getByTestId('try-live-agreement').waitFor({ timeout: 30_000 });
  expect(await panel.innerText()).toMatch(/Test digit #0 \(a \d\)/);

  expect(await seriousViolations(page, '[data-testid="try-live"]')).toEqual([]);
  expect(pageErrors(page)).toEqual([]);
  await page.close();
});
