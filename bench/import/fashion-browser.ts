// Times the import of the real Fashion-MNIST in headless Chromium: builds a one-page app with Vite, serves it
// with COOP/COEP from a local static server, hands the four .gz files to <input type=file> through
// Playwright (as a user picking them), and reads the time the page measured from `change` to the bundle.
// It also checks that the built-in Digits set loads in the browser from the asset Vite emits, and that the
// FileSystemDirectoryHandle adapter reads the same files from the origin-private file system.
// Run: node --import ./bench/import/register.mjs bench/import/fashion-browser.ts [folder]

import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { build } from 'vite';
import { chromium } from 'playwright-core';

const folder = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const files = readdirSync(folder).filter((f) => f.endsWith('-ubyte.gz')).map((f) => join(folder, f));
if (files.length !== 4) throw new Error(`expected the four Fashion-MNIST .gz files in ${folder}, found ${files.length}`);

const outDir = mkdtempSync(join(tmpdir(), 'mote-import-bench-'));
const profile = mkdtempSync(join(tmpdir(), 'mote-import-profile-'));
await build({ root: resolve(import.meta.dirname, 'page'), configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022' } });

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
const server = createServer((req, res) => {
  const path = join(outDir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
  const file = path.endsWith('/') ? join(path, 'index.html') : path;
  if (!file.startsWith(outDir) || !existsSync(file)) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
  res.end(readFileSync(file));
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const port = (server.address() as { port: number }).port;

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const version = context.browser()?.version() ?? (await (await context.newPage()).evaluate(() => navigator.userAgent));
  {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/?digits`);
    await page.waitForFunction(() => window.digitsResult !== undefined, undefined, { timeout: 60_000 });
    const result = await page.evaluate(() => window.digitsResult!);
    if ('error' in result) throw new Error(`built-in Digits failed in the page: ${result.error}`);
    console.log(`Built-in Digits (fetched asset, headless Chromium ${version}): ${result.train} train / ${result.test} test in ${result.ms.toFixed(0)} ms`);
    await page.close();
  }
  {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}/?handle`);
    await page.setInputFiles('#files', files);
    await page.waitForFunction(() => window.handleResult !== undefined, undefined, { timeout: 120_000 });
    const result = await page.evaluate(() => window.handleResult!);
    if ('error' in result) throw new Error(`import through a FileSystemDirectoryHandle failed: ${result.error}`);
    console.log(`Fashion-MNIST through a FileSystemDirectoryHandle (OPFS, headless Chromium ${version}): ${result.train} train / ${result.test} test in ${result.ms.toFixed(0)} ms`);
    await page.close();
  }
  for (const dtype of ['uint8', 'float32']) {
    const times: number[] = [];
    let counts = '';
    for (let i = 0; i < 5; i++) {
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/?dtype=${dtype}`);
      await page.setInputFiles('#files', files);
      await page.waitForFunction(() => window.importResult !== undefined, undefined, { timeout: 60_000 });
      const result = await page.evaluate(() => window.importResult!);
      if ('error' in result) throw new Error(`import failed in the page: ${result.error}`);
      times.push(result.ms);
      counts = `${result.train} train / ${result.test} test`;
      await page.close();
    }
    times.sort((a, b) => a - b);
    console.log(`Fashion-MNIST import (headless Chromium ${version}, dtype ${dtype}, ${counts}): median ${times[2].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[4].toFixed(0)} ms over 5 runs`);
  }
} finally {
  await context.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
