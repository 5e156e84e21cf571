#!/usr/bin/env node
// Screenshots of every page of the built app, after one run of the default experiment, at 1280×800
// (docs/screenshots/<page>.png) and 390×844 (<page>-phone.png), light colour scheme; then the whole Train,
// Results and Experiments pages (<page>-full.png) and the status bar's offline panel (offline-panel.png). Pages are reached through
// the navigation, not by reloading, so the run's live figures (confusion matrix, board samples) stay on screen.
// Usage: npx vite build && node scripts/screenshots.mjs   (MOTE_APP_URL=http://… to use a running server)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const PAGES = ['experiments', 'editor', 'data', 'train', 'results', 'deploy', 'boards', 'share'];
const VIEWPORTS = [{ suffix: '', width: 1280, height: 800 }, { suffix: '-phone', width: 390, height: 844 }];
const out = 'docs/screenshots';
mkdirSync(out, { recursive: true });

let server;
let url = process.env.MOTE_APP_URL;
if (!url) {
  const port = 4800 + Math.floor(Math.random() * 100);
  server = spawn('node_modules/.bin/vite', ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore', detached: true });
  url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(url)).ok) break; } catch { /* starting */ }
    if (i > 150) throw new Error(`vite preview did not answer on ${url}; run "npx vite build" first`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const profile = mkdtempSync(join(tmpdir(), 'mote-shots-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.MOTE_CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  viewport: { width: 1280, height: 800 }, colorScheme: 'light',
});
try {
  const page = await context.newPage();
  await page.goto(`${url}#/editor`);
  await page.waitForSelector('html[data-mote-ready="true"]');
  await page.waitForSelector('.cm-content', { timeout: 15000 }).catch(() => undefined);
  // One run first, so Train, Deploy and Experiments show what a run leaves behind.
  const run = page.getByTestId('run-button');
  if ((await run.count()) > 0 && (await run.isEnabled())) {
    await run.click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="run-button"]')?.hasAttribute('disabled'), undefined, { timeout: 240000 });
  }
  await page.waitForSelector('[data-testid="results-headline"]', { timeout: 15000 }).catch(() => undefined);
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize({ width: viewport.width, height: viewport.height });
    for (const name of PAGES) {
      await page.evaluate((id) => { location.hash = `#/${id}`; }, name);
      await page.waitForSelector(`nav a[href="#/${name}"][aria-current="page"]`);
      await page.waitForTimeout(name === 'editor' ? 800 : 400);
      const path = join(out, `${name}${viewport.suffix}.png`);
      await page.screenshot({ path });
      console.log(path);
    }
  }
  // Whole pages where the figures run below the fold, and the status bar's offline panel opened, at 1280×800.
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const name of ['train', 'results', 'experiments']) {
    await page.evaluate((id) => { location.hash = `#/${id}`; }, name);
    await page.waitForSelector(`nav a[href="#/${name}"][aria-current="page"]`);
    await page.waitForTimeout(400);
    const path = join(out, `${name}-full.png`);
    await page.screenshot({ path, fullPage: true });
    console.log(path);
  }
  await page.getByTestId('offline-status').click();
  await page.getByTestId('offline-panel').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, 'offline-panel.png') });
  console.log(join(out, 'offline-panel.png'));
  await page.keyboard.press('Escape');
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
}
