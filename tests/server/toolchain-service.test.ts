import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startToolchainService, type ToolchainService } from '../../server/toolchain-service';
import { parseElf, firmwareSize } from '../../src/core/deploy/elf';
import { createHostedToolchain, fromBase64 } from '../../src/core/deploy/toolchain';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { startHostedBoard } from '../../src/devices/hosted-board';
import type { WebSocketLike } from '../../src/devices/websocket-transport';
import { FIXTURE_HASH, fixtureReference } from '../firmware/fixture-model';
import { randomInt8Vectors, readModelDir, requireTools } from '../firmware/helpers';

const enabled = requireTools('arm-none-eabi-gcc', 'qemu-system-arm');
const APP = 'http://127.0.0.1:4173';
const model = readModelDir();

async function post(service: ToolchainService, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${service.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: APP, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { ok: boolean; error?: string; outputs?: Record<string, string>; id?: string; uart?: string } };
}

/** Raw upload with node:http, so an early 413 answer is observable while the body is still being sent. */
function postLarge(service: ToolchainService, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL('/build', service.url);
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(bytes) } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', (error) => reject(error));
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!req.write(chunk)) { req.once('drain', pump); return; }
      }
      req.end();
    };
    pump();
  });
}

describe.runIf(enabled)('hosted toolchain service', () => {
  let service: ToolchainService;
  beforeAll(async () => {
    service = await startToolchainService({ port: 0, concurrency: 2, queueLimit: 40, buildTimeoutMs: 4000, maxBodyBytes: 32 * 1024 * 1024, allowRequestsWithoutOrigin: true });
  });
  afterAll(async () => { await service?.close(); });

  it('serves 30 concurrent builds within the queue bound', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, () => post(service, '/build', { board: 'virtual-cortex-m4', files: model })));
    expect(results.map((r) => r.status)).toEqual(Array(30).fill(200));
    for (const r of results) {
      const elf = parseElf(fromBase64(r.body.outputs!['firmware.elf']));
      expect(firmwareSize(elf).rom_bytes).toBeGreaterThan(1000);
    }
    expect(service.stats().running).toBe(0);
  }, 120_000);

  it('refuses builds beyond the queue bound with a clear 503, and serves the rest', async () => {
    const small = await startToolchainService({ port: 0, concurrency: 1, queueLimit: 3, allowRequestsWithoutOrigin: true });
    try {
      const results = await Promise.all(Array.from({ length: 30 }, () => post(small, '/build', { board: 'nucleo-l452rep', files: model })));
      const ok = results.filter((r) => r.status === 200);
      const busy = results.filter((r) => r.status === 503);
      expect(ok.length + busy.length).toBe(30);
      expect(ok.length).toBeGreaterThanOrEqual(4);
      expect(busy.length).toBeGreaterThan(0);
      expect(busy[0].body.error).toMatch(/build queue is full/);
      expect(ok[0].body.outputs!['firmware.bin']).toBeDefined();
      // the hosted client turns 503 into a readable error
      const client = createHostedToolchain(small.url);
      await expect(Promise.all(Array.from({ length: 12 }, () => client.build({ board: 'virtual-cortex-m4', modelFiles: model })))).rejects.toThrow(/busy/);
    } finally {
      await small.close();
    }
  }, 120_000);

  it('refuses path traversal, absolute paths and flag injection through file names or options', async () => {
    const hostile: Record<string, string>[] = [
      { '../escape.c': 'int x;', 'model.h': model['model.h'] },
      { '/etc/passwd.h': 'x', 'model.h': model['model.h'] },
      { '-fplugin=evil.so.c': 'int x;', 'model.h': model['model.h'] },
      { '@flags.c': 'int x;', 'model.h': model['model.h'] },
      { 'model.h': model['model.h'], 'evil.so': 'x' },
      { 'a/../../b.c': 'x', 'model.h': model['model.h'] },
    ];
    for (const files of hostile) {
      const r = await post(service, '/build', { board: 'virtual-cortex-m4', files });
      expect(r.status, JSON.stringify(Object.keys(files))).toBe(400);
      expect(r.body.error).toMatch(/not allowed/);
    }
    expect((await post(service, '/build', { board: 'virtual-cortex-m4', files: model, options: { optimize: '-fplugin=/tmp/x.so' } })).status).toBe(400);
    expect((await post(service, '/build', { board: 'virtual-cortex-m4', files: model, options: { cflags: ['-fplugin=x'] } })).body.error).toMatch(/unknown build options: cflags/);
    expect((await post(service, '/build', { board: 'virtual-cortex-m4', files: model, flags: '@/etc/passwd' })).body.error).toMatch(/unknown request fields: flags/);
    expect((await post(service, '/build', { board: '../../bin/sh', files: model })).status).toBe(400);
    expect((await post(service, '/build', 'not json')).status).toBe(400);
  });

  it('refuses a 50 MB source with 413 and stays up', async () => {
    expect(await postLarge(service, 50 * 1024 * 1024)).toBe(413);
    const health = await fetch(`${service.url}/health`);
    expect(health.status).toBe(200);
  }, 60_000);

  it('cuts off a compile that never ends (exponential macro expansion) and stays up', async () => {
    const bomb = ['#define A0(x) x x', ...Array.from({ length: 40 }, (_, i) => `#define A${i + 1}(x) A${i}(x) A${i}(x)`), 'int bomb = A40(1+) 0;', ''].join('\n');
    const started = Date.now();
    const r = await post(service, '/build', { board: 'virtual-cortex-m4', files: { ...model, 'model.c': `${model['model.c']}\n${bomb}` } });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/did not finish within 4 s and was stopped/);
    expect(Date.now() - started).toBeLessThan(30_000);
    const after = await post(service, '/build', { board: 'virtual-cortex-m4', files: model });
    expect(after.status).toBe(200);
  }, 60_000);

  it('answers CORS only for the app origin and sends cross-origin isolation headers', async () => {
    const good = await fetch(`${service.url}/health`, { headers: { origin: APP } });
    expect(good.headers.get('access-control-allow-origin')).toBe(APP);
    expect(good.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(good.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(good.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const evil = await fetch(`${service.url}/health`, { headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${service.url}/build`, { method: 'OPTIONS', headers: { origin: APP, 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
  });

  it('starts a VirtualCortexM4 board and bridges its UART over a WebSocket (bit-exact evaluation)', async () => {
    const board = await startHostedBoard(service.url, { modelFiles: model }, WebSocket as unknown as new (url: string) => WebSocketLike);
    expect(firmwareSize(parseElf(board.elf)).rom_bytes).toBeGreaterThan(1000);
    expect(service.stats().boards).toBe(1);
    const vectors = randomInt8Vectors(50, 16, 5);
    const report = await evaluateOnBoard({ transport: board.transport, vectors, reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH });
    expect(report.bit_exact).toBe(true);
    expect(report.n).toBe(50);
    await board.stop();
    await new Promise((r) => setTimeout(r, 100));
    expect(service.stats().boards).toBe(0);
  }, 60_000);

  it('`npm run toolchain` (server/start.mjs) starts with the environment unset and answers /health', async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, ['server/start.mjs'], { env: { ...process.env, MOTE_TOOLCHAIN_PORT: String(port), MOTE_APP_ORIGIN: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (c: Buffer) => { text += c.toString(); if (text.includes('toolchain service on')) resolve(text); });
        child.stderr.on('data', (c: Buffer) => { text += c.toString(); });
        child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
      });
      expect(line).toContain(`http://127.0.0.1:${port}`);
      if (process.getuid?.() === 0) {
        // Started as root: it says so and really runs as nobody before serving anything.
        expect(line).toMatch(/started as root, now running as nobody \(uid \d+/);
        const uid = /^Uid:\s+(\d+)\s+(\d+)/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        expect(uid?.[1]).not.toBe('0');
        expect(uid?.[2]).not.toBe('0');
      }
      const health = await fetch(`http://127.0.0.1:${port}/health`, { headers: { origin: 'http://localhost:5173' } });
      expect(health.status).toBe(200);
      expect(health.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);
});
