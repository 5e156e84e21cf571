import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { TestProject } from 'vitest/node';

// Builds the app once and serves it with `vite preview` (COOP/COEP headers on) for every e2e file.
let server: ChildProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  if (!process.env.MOTE_E2E_SKIP_BUILD) {
    const build = spawnSync('node_modules/.bin/vite', ['build', '--logLevel', 'warn'], { stdio: 'inherit' });
    if (build.status !== 0) throw new Error('vite build failed; see the output above');
  }
  const port = 4300 + Math.floor(Math.random() * 500);
  server = spawn('node_modules/.bin/vite', ['preview', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try { if ((await fetch(url)).ok) break; } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`vite preview did not answer on ${url} within 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  project.provide('appUrl', url);
}

export async function teardown(): Promise<void> {
  if (server?.pid) { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* already gone */ } }
}

declare module 'vitest' {
  export interface ProvidedContext { appUrl: string }
}
