// Training throughput in headless Chromium through Mote's training worker (Vite build of bench/train/page):
// wasm on a cross-origin-isolated page (threaded binary allowed) and on a plain page (threads off), cpu,
// and WebGPU on SwiftShader (software: a correctness check of the WebGPU path, not a speed figure).
// Run: node --import ./bench/import/register.mjs bench/train/browser.ts [batches=20] [--threads] [--only=<label prefix>]

import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';

const batches = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20);
const outDir = mkdtempSync(join(tmpdir(), 'mote-train-bench-'));
const profile = mkdtempSync(join(tmpdir(), 'mote-train-profile-'));
await build({ root: resolve(import.meta.dirname, 'page'), configFile: false, logLevel: 'warn', build: { outDir, emptyOutDir: true, target: 'es2022', minify: !process.argv.includes('--threads') }, worker: { format: 'es' } });

const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = join(outDir, decodeURIComponent(url.pathname));
  const file = path.endsWith('/') ? join(path, 'index.html') : path;
  if (!file.startsWith(outDir) || !existsSync(file)) { res.writeHead(404).end(); return; }
  // Isolation is decided by the document's headers: `?coi=0` serves the page without COOP/COEP.
  const isolate = url.searchParams.get('coi') !== '0';
  res.writeHead(200, {
    'Content-Type': types[extname(file)] ?? 'application/octet-stream',
    ...(isolate ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
    'Cross-Origin-Resource-Policy': 'same-origin',
  });
  res.end(readFileSync(file));
});
await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
const port = (server.address() as { port: number }).port;

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
// The threaded wasm binary needs an unminified build (see BackendOptions.wasmThreads): `--threads` builds
// unminified and adds that run.
const threads = process.argv.includes('--threads');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const allRuns: [string, string][] = [
  ...(threads ? [['wasm, cross-origin isolated, threaded binary (unminified build)', `backend=wasm&batches=${batches}&threads=1`] as [string, string]] : []),
  ['wasm, cross-origin isolated (threads off)', `backend=wasm&batches=${batches}`],
  ['wasm, not isolated', `backend=wasm&batches=${batches}&coi=0`],
  ['cpu', `backend=cpu&batches=${Math.max(2, Math.round(batches / 10))}`],
  ['webgpu (SwiftShader)', `backend=webgpu&batches=${Math.max(2, Math.round(batches / 10))}`],
];
const runs = only ? allRuns.filter(([label]) => label.startsWith(only)) : allRuns;
try {
  const version = context.browser()?.version() ?? 'chromium';
  for (const [label, search] of runs) {
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
    await page.goto(`http://127.0.0.1:${port}/?${search}`);
    await page.waitForFunction(() => window.trainResult !== undefined, undefined, { timeout: 300_000 });
    const result = await page.evaluate(() => window.trainResult!);
    if ('error' in result) console.log(`${label}: FAILED ${result.error}`);
    else console.log(`${label} (headless Chromium ${version}, ${result.backend.name}: ${result.backend.details}; crossOriginIsolated=${result.isolated}): ${result.samplesPerSecond.toFixed(0)} samples/s`);
    await page.close();
  }
} finally {
  await context.close();
  server.close();
  rmSync(outDir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
}
