// Load on the hosted toolchain from one classroom (issue 11): 30 concurrent builds and 4 boards (each
// evaluated over its WebSocket UART) at once, everything sandboxed, while /health is polled every 50 ms.
// Prints how many requests were served or refused (and with what message), build latency, and /health
// latency under load against the same service idle (the baseline, measured in the same run).
// Run: `node --import ./bench/import/register.mjs bench/server/toolchain-load.ts` (needs arm-none-eabi-gcc, qemu-system-arm, bwrap).
import WebSocket from 'ws';
import { startToolchainService } from '../../server/toolchain-service';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { startHostedBoard } from '../../src/devices/hosted-board';
import type { WebSocketLike } from '../../src/devices/websocket-transport';
import { FIXTURE_HASH, fixtureReference } from '../../tests/firmware/fixture-model';
import { randomInt8Vectors, readModelDir } from '../../tests/firmware/helpers';

const APP = 'http://127.0.0.1:4173';
const model = readModelDir();
const service = await startToolchainService({ port: 0, allowRequestsWithoutOrigin: true });

async function healthMs(): Promise<number> {
  const t = performance.now();
  const r = await fetch(`${service.url}/health`, { headers: { origin: APP } });
  await r.json();
  return performance.now() - t;
}
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

const idle: number[] = [];
for (let i = 0; i < 40; i++) idle.push(await healthMs());

const loaded: number[] = [];
let polling = true;
const poller = (async () => { while (polling) { loaded.push(await healthMs()); await new Promise((r) => setTimeout(r, 50)); } })();

const started = performance.now();
const builds = Array.from({ length: 30 }, async () => {
  const t = performance.now();
  const r = await fetch(`${service.url}/build`, { method: 'POST', headers: { 'content-type': 'application/json', origin: APP }, body: JSON.stringify({ board: 'virtual-cortex-m4', files: model }) });
  const body = (await r.json()) as { error?: string };
  return { status: r.status, ms: performance.now() - t, error: body.error };
});
const boards = Array.from({ length: 4 }, async (_, i) => {
  const t = performance.now();
  try {
    const board = await startHostedBoard(service.url, { modelFiles: model }, WebSocket as unknown as new (url: string) => WebSocketLike);
    const report = await evaluateOnBoard({ transport: board.transport, vectors: randomInt8Vectors(50, 16, i), reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH });
    await board.stop();
    return { ok: report.bit_exact && report.n === 50, ms: performance.now() - t, error: '' };
  } catch (error) {
    return { ok: false, ms: performance.now() - t, error: (error as Error).message };
  }
});
const [buildResults, boardResults] = await Promise.all([Promise.all(builds), Promise.all(boards)]);
const wallMs = performance.now() - started;
polling = false;
await poller;
await service.close();

const served = buildResults.filter((r) => r.status === 200);
const refused = buildResults.filter((r) => r.status === 503);
console.log(`30 builds: ${served.length} served, ${refused.length} refused (503${refused[0] ? `: "${refused[0].error}"` : ''}), ${buildResults.length - served.length - refused.length} other`);
console.log(`  build latency: median ${percentile(served.map((r) => r.ms), 0.5).toFixed(0)} ms, max ${Math.max(...served.map((r) => r.ms)).toFixed(0)} ms`);
console.log(`4 boards: ${boardResults.filter((r) => r.ok).length} evaluated bit-exact (50 vectors each)${boardResults.filter((r) => !r.ok).map((r) => `; failed: ${r.error}`).join('')}`);
console.log(`all done in ${(wallMs / 1000).toFixed(1)} s`);
console.log(`/health idle:  median ${percentile(idle, 0.5).toFixed(1)} ms, p95 ${percentile(idle, 0.95).toFixed(1)} ms, max ${Math.max(...idle).toFixed(1)} ms (n=${idle.length})`);
console.log(`/health loaded: median ${percentile(loaded, 0.5).toFixed(1)} ms, p95 ${percentile(loaded, 0.95).toFixed(1)} ms, max ${Math.max(...loaded).toFixed(1)} ms (n=${loaded.length}); goal < 100 ms: ${Math.max(...loaded) < 100 ? 'met' : 'NOT met'}; ratio of loaded to idle median ${(percentile(loaded, 0.5) / percentile(idle, 0.5)).toFixed(1)}×`);
