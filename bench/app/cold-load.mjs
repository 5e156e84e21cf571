#!/usr/bin/env node
// Cold load to interactive: a fresh Chromium profile (no cache, no service worker) opens the built app served
// by `vite preview`; "interactive" is the app's `mote-ready` mark (storage open, default experiment shown,
// controls enabled). Also the warm load (second visit, service worker installed). Median of N runs.
// Goal: interactive ≤ 1.5 s. Usage: npx vite build && node bench/app/cold-load.mjs [runs=5]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const runs = Number(process.argv[2] ?? 5);
const port = 4900 + Math.floor(Math.random() * 100);
const server = spawn('node_modules/.bin/vite', ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore', detached: true });
const url = `http://127.0.0.1:${port}/`;
for (let i = 0; ; i++) {
  try { if ((await fetch(url)).ok) break; } catch { /* starting */ }
  if (i > 150) throw new Error(`vite preview did not answer on ${url}; run "npx vite build" first`);
  await new Promise((r) => setTimeout(r, 200));
}

async function measure(page) {
  await page.goto(url);
  await page.waitForSelector('html[data-mote-ready="true"]');
  return page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    return { ready: performance.getEntriesByName('mote-ready')[0].startTime, domContentLoaded: nav.domContentLoadedEventEnd };
  });
}

const cold = [];
const warm = [];
try {
  for (let i = 0; i < runs; i++) {
    const profile = mkdtempSync(join(tmpdir(), 'mote-bench-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.MOTE_CHROMIUM ?? '/usr/bin/chromium', headless: true,
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
      viewport: { width: 1280, height: 800 },
    });
    try {
      const first = await context.newPage();
      cold.push(await measure(first));
      await first.evaluate(async () => { await navigator.serviceWorker.ready; });
      await first.close();
      const second = await context.newPage();
      warm.push(await measure(second));
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
} finally {
  process.kill(-server.pid, 'SIGTERM');
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (n) => `${Math.round(n)} ms`;
console.log(`cold load (fresh profile) to interactive: median ${ms(median(cold.map((r) => r.ready)))} over ${runs} runs (DOMContentLoaded ${ms(median(cold.map((r) => r.domContentLoaded)))}) — goal ≤ 1500 ms`);
console.log(`warm load (service worker) to interactive: median ${ms(median(warm.map((r) => r.ready)))}`);
console.log(`all cold runs: ${cold.map((r) => ms(r.ready)).join(', ')}`);
