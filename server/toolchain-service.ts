// The hosted toolchain: a small HTTP service on 127.0.0.1 that builds firmware for the app (which has no
// compiler for Arm in the browser) and starts VirtualCortexM4 boards whose UART it bridges over a
// WebSocket. Requests are hostile until proven otherwise: the compiler command line is fixed
// (src/core/deploy/firmware-build.ts), file names are validated and confined to a fresh temporary
// directory, bodies and files are size-limited, compilers run under a time and memory limit and are
// killed as a process group, the queue is bounded (503 when full), CORS answers only the app's origin,
// and nothing is kept after the reply.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { MoteError } from '../src/core/base/errors';
import { planFirmwareBuild, type FirmwareBuildRequest } from '../src/core/deploy/firmware-build';
import { startVirtualCortexM4, type VirtualBoard } from '../src/core/deploy/qemu.node';
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
  log?: (line: string) => void;
}

export interface ToolchainService {
  url: string;
  server: Server;
  stats(): { running: number; queued: number; boards: number; served: number; refused: number };
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
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
};

/** A counting semaphore with a bounded waiting line. */
class BuildQueue {
  running = 0;
  private waiting: (() => void)[] = [];
  constructor(private readonly concurrency: number, private readonly limit: number) {}

  get queued(): number { return this.waiting.length; }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.limit) throw new HttpError(503, `the build queue is full (${this.running} running, ${this.waiting.length} waiting); try again shortly`);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
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
  const queue = new BuildQueue(o.concurrency, o.queueLimit);
  const boards = new Map<string, { board: VirtualBoard; timer: ReturnType<typeof setTimeout>; socket?: WebSocket }>();
  let served = 0;
  let refused = 0;

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
    entry.socket?.close();
    await entry.board.stop();
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const origin = request.headers.origin;
    if (origin && !o.allowedOrigins.includes(origin)) throw new HttpError(403, `origin ${origin} may not use this toolchain service`);
    const url = new URL(request.url ?? '/', 'http://service');
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
      const output = await queue.run(async () => {
        try {
          return await runBuildPlan(planFirmwareBuild(build), { timeoutMs: o.buildTimeoutMs, memoryLimitBytes: o.compilerMemoryBytes });
        } catch (error) {
          if (error instanceof MoteError) throw new HttpError(422, error.message);
          throw error;
        }
      });
      served++;
      if (!startBoard) {
        const outputs: Record<string, string> = {};
        for (const [name, data] of Object.entries(output.files)) outputs[name] = toBase64(data);
        const body: HostedBuildResponse = { ok: true, log: output.log, outputs, durationMs: Date.now() - started };
        send(request, response, 200, body);
        return;
      }
      const board = await startVirtualCortexM4(output.files['firmware.elf'], { exactInstructions: false });
      const id = randomUUID();
      boards.set(id, { board, timer: setTimeout(() => void stopBoard(id), o.boardLifetimeMs) });
      board.exited.then(() => void stopBoard(id));
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
    if ((origin && !o.allowedOrigins.includes(origin)) || !entry || entry.socket) {
      socket.write(`HTTP/1.1 ${!entry ? '404 Not Found' : '403 Forbidden'}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      entry.socket = ws;
      const transport = entry.board.transport;
      const unsubscribe = transport.onData((chunk) => { if (ws.readyState === ws.OPEN) ws.send(chunk); });
      ws.on('message', (data: Buffer) => { transport.write(new Uint8Array(data)).catch(() => ws.close()); });
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
  log(`toolchain service on ${url} (origins: ${o.allowedOrigins.join(', ')})`);
  return {
    url,
    server,
    stats: () => ({ running: queue.running, queued: queue.queued, boards: boards.size, served, refused }),
    async close() {
      await Promise.all([...boards.keys()].map(stopBoard));
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
