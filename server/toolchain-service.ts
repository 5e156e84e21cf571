// The hosted toolchain: a small HTTP service on 127.0.0.1 that builds firmware for the app (which has no
// compiler for Arm in the browser) and starts VirtualCortexM4 boards whose UART it bridges over a
// WebSocket. Requests are hostile until proven otherwise: the compiler command line is fixed
// (src/core/deploy/firmware-build.ts), file names are validated and confined to a fresh temporary
// directory, bodies and files are size-limited, every compiler and emulator runs in the bubblewrap sandbox
// (src/core/deploy/sandbox.node.ts: no network, no host file outside its own folder, CPU/memory/file/
// process limits; QEMU without semihosting), compiler messages quote only the submitted files, the queue
// is bounded (503 when full), a build whose client went away is cancelled, idle boards are reclaimed,
// CORS answers only the app's origin, requests without an Origin are refused unless the service was
// started for CLI use, and nothing is kept after the reply.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MoteError } from '../src/core/base/errors';
import { planFirmwareBuild, type FirmwareBuildRequest } from '../src/core/deploy/firmware-build';
import { startVirtualCortexM4, type VirtualBoard } from '../src/core/deploy/qemu.node';
import { assertSandboxAvailable } from '../src/core/deploy/sandbox.node';
import { runBuildPlan } from '../src/core/deploy/toolchain-local.node';
import { toBase64, type HostedBuildResponse } from '../src/core/deploy/toolchain';

export interface ToolchainServiceOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Origins allowed to call the service (the app's own origin). */
  allowedOrigins?: string[];
  /** Builds running at once. */
  concurrency?: number;
  /** Builds waiting beyond the running ones; more get 503. */
  queueLimit?: number;
  maxBodyBytes?: number;
  buildTimeoutMs?: number;
  compilerMemoryBytes?: number;
  /** Virtual boards alive at once, and how long one may live. */
  maxBoards?: number;
  boardLifetimeMs?: number;
  /** A board with no UART traffic (either way) for this long is stopped and its slot freed. */
  boardIdleMs?: number;
  /**
   * Serve requests that carry no Origin header (the `mote` CLI, scripts). Browsers always send one, so
   * the default refuses them: a page cannot hide its origin, but anything else on the machine could.
   */
  allowRequestsWithoutOrigin?: boolean;
  log?: (line: string) => void;
}

export interface ToolchainService {
  url: string;
  server: Server;
  stats(): { running: number; queued: number; boards: number; served: number; refused: number; cancelled: number; reclaimed: number };
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

/** The client closed its connection: nobody is left to answer. */
class ClientGoneError extends Error {
  constructor() { super('the client went away'); }
}

const DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  allowedOrigins: ['http://127.0.0.1:4173', 'http://localhost:4173', 'http://127.0.0.1:5173', 'http://localhost:5173'],
  concurrency: 2,
  queueLimit: 32,
  maxBodyBytes: 32 * 1024 * 1024,
  buildTimeoutMs: 60_000,
  compilerMemoryBytes: 2 * 1024 * 1024 * 1024,
  maxBoards: 4,
  boardLifetimeMs: 10 * 60_000,
  boardIdleMs: 60_000,
  allowRequestsWithoutOrigin: false,
};

const NO_ORIGIN = 'requests without an Origin header are refused (the app in a browser always sends one); to use this service from the mote CLI or a script, start it with --allow-cli (MOTE_TOOLCHAIN_ALLOW_CLI=1)';

/** A counting semaphore with a bounded waiting line. */
class BuildQueue {
  running = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly concurrency: number, private readonly limit: number) {}

  get queued(): number { return this.waiting.length; }

  /** Runs `task` when a slot is free; a `signal` aborted while waiting leaves the line without running. */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.limit) throw new HttpError(503, `the build queue is full (${this.running} running, ${this.waiting.length} waiting); try again shortly`);
      await new Promise<void>((resolve, reject) => {
        const wake = () => { signal?.removeEventListener('abort', leave); resolve(); };
        const leave = () => {
          const at = this.waiting.indexOf(wake);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(new ClientGoneError());
        };
        if (signal?.aborted) { reject(new ClientGoneError()); return; }
        signal?.addEventListener('abort', leave, { once: true });
        this.waiting.push(wake);
      });
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); else this.running--;
    }
  }
}

async function readBody(request: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, `request body of ${declared} bytes exceeds the limit of ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body exceeds the limit of ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBuildRequest(text: string): FirmwareBuildRequest {
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw new HttpError(400, 'the request body is not JSON'); }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the request body must be a JSON object {board, files, options}');
  const { board, files, options, ...rest } = body as Record<string, unknown>;
  if (Object.keys(rest).length) throw new HttpError(400, `unknown request fields: ${Object.keys(rest).join(', ')}; expected board, files, options`);
  if (typeof board !== 'string') throw new HttpError(400, 'board must be a string');
  if (typeof files !== 'object' || files === null || Array.isArray(files)) throw new HttpError(400, 'files must be an object of file name → text');
  const opts = options ?? {};
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new HttpError(400, 'options must be an object');
  const allowed = ['protocol', 'baudrate', 'coreClock48MHz', 'optimize'];
  const unknown = Object.keys(opts).filter((k) => !allowed.includes(k));
  if (unknown.length) throw new HttpError(400, `unknown build options: ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
  const request = { board, modelFiles: files as Record<string, string>, options: opts } as FirmwareBuildRequest;
  try {
    planFirmwareBuild(request);
  } catch (error) {
    throw new HttpError(400, (error as Error).message);
  }
  return request;
}

export async function startToolchainService(options: ToolchainServiceOptions = {}): Promise<ToolchainService> {
  // Keys given as undefined (e.g. an unset environment variable) keep their defaults.
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & ToolchainServiceOptions;
  const log = options.log ?? (() => undefined);
  assertSandboxAvailable(); // refuse to serve at all rather than compile unsandboxed
  const queue = new BuildQueue(o.concurrency, o.queueLimit);
  const boards = new Map<string, { board: VirtualBoard; timer: ReturnType<typeof setTimeout>; idle: ReturnType<typeof setTimeout>; socket?: WebSocket }>();
  let served = 0;
  let refused = 0;
  let cancelled = 0;
  let reclaimed = 0;

  const headers = (request: IncomingMessage): Record<string, string> => {
    const h: Record<string, string> = {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'cross-origin',
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store',
      vary: 'Origin',
    };
    const origin = request.headers.origin;
    if (origin && o.allowedOrigins.includes(origin)) {
      h['access-control-allow-origin'] = origin;
      h['access-control-allow-methods'] = 'GET, POST, DELETE, OPTIONS';
      h['access-control-allow-headers'] = 'content-type';
      h['access-control-max-age'] = '600';
    }
    return h;
  };

  const send = (request: IncomingMessage, response: ServerResponse, status: number, body: unknown) => {
    if (response.headersSent) return;
    const text = JSON.stringify(body);
    response.writeHead(status, {
      ...(response.getHeader('connection') ? { connection: 'close' } : {}), ...headers(request), 'content-type': 'application/json; charset=utf-8', ...(status === 503 ? { 'retry-after': '2' } : {}) });
    response.end(text);
  };

  const stopBoard = async (id: string) => {
    const entry = boards.get(id);
    if (!entry) return;
    boards.delete(id);
    clearTimeout(entry.timer);
    clearTimeout(entry.idle);
    entry.socket?.close();
    await entry.board.stop();
  };

  /** (Re)starts a board's idle clock: no UART traffic for boardIdleMs stops it and frees its slot. */
  const armIdle = (id: string) => {
    const entry = boards.get(id);
    if (!entry) return;
    clearTimeout(entry.idle);
    entry.idle = setTimeout(() => { reclaimed++; log(`board ${id} had no UART traffic for ${o.boardIdleMs} ms: stopped`); void stopBoard(id); }, o.boardIdleMs);
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    if (origin && !o.allowedOrigins.includes(origin)) throw new HttpError(403, `origin ${origin} may not use this toolchain service`);
    const url = new URL(request.url ?? '/', 'http://service');
    // /health stays open to monitoring; everything that compiles or starts a board needs an origin.
    const isHealth = request.method === 'GET' && url.pathname === '/health';
    if (!origin && !o.allowRequestsWithoutOrigin && !isHealth) throw new HttpError(403, NO_ORIGIN);
    if (request.method === 'OPTIONS') { response.writeHead(204, headers(request)); response.end(); return; }
    if (request.method === 'GET' && url.pathname === '/health') {
      send(request, response, 200, { ok: true, running: queue.running, queued: queue.queued, boards: boards.size });
      return;
    }
    if (request.method === 'POST' && (url.pathname === '/build' || url.pathname === '/boards')) {
      const startBoard = url.pathname === '/boards';
      const build = parseBuildRequest(await readBody(request, o.maxBodyBytes));
      if (startBoard && build.board !== 'virtual-cortex-m4') throw new HttpError(400, 'only virtual-cortex-m4 boards can be started here');
      if (startBoard && boards.size >= o.maxBoards) throw new HttpError(503, `${boards.size} virtual boards are running, the limit is ${o.maxBoards}; stop one (DELETE /boards/<id>) first`);
      const started = Date.now();
      // A client that closes its connection before the answer cancels its build (waiting or running).
      const clientGone = new AbortController();
      response.once('close', () => { if (!response.writableFinished) clientGone.abort(); });
      const output = await queue.run(async () => {
        try {
          return await runBuildPlan(planFirmwareBuild(build), { timeoutMs: o.buildTimeoutMs, memoryLimitBytes: o.compilerMemoryBytes, signal: clientGone.signal });
        } catch (error) {
          if (clientGone.signal.aborted) throw new ClientGoneError();
          if (error instanceof MoteError) throw new HttpError(422, error.message);
          throw error;
        }
      }, clientGone.signal);
      if (clientGone.signal.aborted) throw new ClientGoneError();
      served++;
      if (!startBoard) {
        const outputs: Record<string, string> = {};
        for (const [name, data] of Object.entries(output.files)) outputs[name] = toBase64(data);
        const body: HostedBuildResponse = { ok: true, log: output.log, outputs, durationMs: Date.now() - started };
        send(request, response, 200, body);
        return;
      }
      const board = await startVirtualCortexM4(output.files['firmware.elf'], { exactInstructions: false, limits: { cpuSeconds: o.boardLifetimeMs / 1000 } });
      const id = randomUUID();
      boards.set(id, { board, timer: setTimeout(() => void stopBoard(id), o.boardLifetimeMs), idle: setTimeout(() => undefined, 0) });
      armIdle(id);
      board.exited.then(() => void stopBoard(id));
      if (clientGone.signal.aborted) { await stopBoard(id); throw new ClientGoneError(); }
      send(request, response, 201, { ok: true, id, uart: `/boards/${id}/uart`, log: output.log, elf: toBase64(output.files['firmware.elf']) });
      return;
    }
    const boardMatch = /^\/boards\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (request.method === 'DELETE' && boardMatch) {
      if (!boards.has(boardMatch[1])) throw new HttpError(404, 'no such board');
      await stopBoard(boardMatch[1]);
      send(request, response, 200, { ok: true });
      return;
    }
    throw new HttpError(404, `no route ${request.method} ${url.pathname}; the service offers GET /health, POST /build, POST /boards, DELETE /boards/<id>, WebSocket /boards/<id>/uart`);
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      if (error instanceof ClientGoneError) { cancelled++; return; }
      const status = error instanceof HttpError ? error.status : 500;
      if (status === 503) refused++;
      if (status >= 500 && status !== 503) log(`internal error: ${(error as Error).stack ?? error}`);
      if (status === 413) response.setHeader('connection', 'close');
      send(request, response, status, { ok: false, error: status === 500 ? 'internal error in the toolchain service' : (error as Error).message, log: '' });
      // Stop reading an oversized body instead of draining it: close the connection once the answer is out.
      if (status === 413) response.once('finish', () => setTimeout(() => request.socket.destroy(), 50));
    });
  });
  server.requestTimeout = o.buildTimeoutMs * 4;
  server.headersTimeout = 10_000;

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  server.on('upgrade', (request, socket, head) => {
    const origin = request.headers.origin;
    const match = /^\/boards\/([0-9a-f-]{36})\/uart$/.exec(new URL(request.url ?? '/', 'http://service').pathname);
    const entry = match ? boards.get(match[1]) : undefined;
    const originRefused = origin ? !o.allowedOrigins.includes(origin) : !o.allowRequestsWithoutOrigin;
    if (originRefused || !entry || entry.socket) {
      socket.write(`HTTP/1.1 ${originRefused ? '403 Forbidden' : !entry ? '404 Not Found' : '409 Conflict'}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      entry.socket = ws;
      const transport = entry.board.transport;
      const busy = () => armIdle(match![1]);
      busy();
      const unsubscribe = transport.onData((chunk) => { busy(); if (ws.readyState === ws.OPEN) ws.send(chunk); });
      ws.on('message', (data: Buffer) => { busy(); transport.write(new Uint8Array(data)).catch(() => ws.close()); });
      ws.on('close', () => { unsubscribe(); entry.socket = undefined; });
      transport.closed.then(() => ws.close());
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${o.host}:${address.port}`;
  log(`toolchain service on ${url} (origins: ${o.allowedOrigins.join(', ')}${o.allowRequestsWithoutOrigin ? '; requests without an Origin allowed (CLI use)' : ''}; builds and boards sandboxed with bubblewrap)`);
  return {
    url,
    server,
    stats: () => ({ running: queue.running, queued: queue.queued, boards: boards.size, served, refused, cancelled, reclaimed }),
    async close() {
      await Promise.all([...boards.keys()].map(stopBoard));
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
