// The zero-install virtual board: the same generated C and evaluation loop as on hardware, compiled to
// wasm32 (boards/wasm in firmware-templates, built by the Wasm toolchain), running in the current thread
// (Node, or a browser worker) and speaking protocol v1 over an in-memory transport.
import { MoteError } from '../base/errors';
import { createMemoryPair, type ByteTransport } from '../evaluation/transport';
import { createPortTransport, pipeTransports, type PortLike } from '../evaluation/transport-port';
import type { StreamConnector } from './environment';

interface WasmBoardExports {
  memory: WebAssembly.Memory;
  mote_start(): void;
  mote_rx(length: number): void;
  mote_rx_chunk(): number;
  mote_rx_chunk_bytes(): number;
}

export interface WasmBoard {
  /** The host's end: hand it to evaluateOnBoard. */
  transport: ByteTransport & { readonly isClosed: boolean };
  stop(): Promise<void>;
}

/** The module is not a Mote wasm board (wrong exports) or trapped while running. */
export class WasmBoardError extends MoteError {}

export async function startWasmBoard(wasm: Uint8Array, options: { micros?: () => number } = {}): Promise<WasmBoard> {
  const micros = options.micros ?? (() => Math.floor(performance.now() * 1000));
  const [host, board] = createMemoryPair();
  let exports: WasmBoardExports | undefined;
  let outgoing: Uint8Array[] = [];
  const imports = {
    env: {
      mote_uart_write(pointer: number, length: number) {
        outgoing.push(new Uint8Array(exports!.memory.buffer, pointer, length).slice());
      },
      mote_micros: () => micros() >>> 0,
    },
  };
  let instance: WebAssembly.Instance;
  try {
    ({ instance } = await WebAssembly.instantiate(wasm as BufferSource, imports) as unknown as { instance: WebAssembly.Instance });
  } catch (error) {
    throw new WasmBoardError(`the wasm firmware could not be loaded: ${(error as Error).message}; rebuild it for the wasm board`, { cause: error });
  }
  const e = instance.exports as Partial<WasmBoardExports>;
  for (const name of ['memory', 'mote_start', 'mote_rx', 'mote_rx_chunk', 'mote_rx_chunk_bytes'] as const) {
    if (!(name in e)) throw new WasmBoardError(`the wasm firmware does not export ${name}; it was not built from Mote's wasm board template`);
  }
  exports = e as WasmBoardExports;
  const flush = () => {
    if (!outgoing.length) return;
    const total = outgoing.reduce((n, c) => n + c.length, 0);
    const merged = new Uint8Array(total);
    let offset = 0;
    for (const chunk of outgoing) { merged.set(chunk, offset); offset += chunk.length; }
    outgoing = [];
    board.write(merged).catch(() => undefined);
  };
  const run = (what: string, f: () => void) => {
    try {
      f();
    } catch (error) {
      // A trap (out-of-bounds access, unreachable) is the wasm equivalent of a HardFault: the board dies.
      outgoing = [];
      void board.close();
      throw new WasmBoardError(`the wasm board trapped while ${what}: ${(error as Error).message}`, { cause: error });
    }
    flush();
  };
  const chunkBytes = exports.mote_rx_chunk_bytes();
  board.onData((chunk) => {
    for (let offset = 0; offset < chunk.length; offset += chunkBytes) {
      const part = chunk.subarray(offset, offset + chunkBytes);
      new Uint8Array(exports!.memory.buffer, exports!.mote_rx_chunk(), part.length).set(part);
      try { run('serving a request', () => exports!.mote_rx(part.length)); } catch { return; }
    }
  });
  run('starting', () => exports!.mote_start());
  return { transport: host, stop: () => host.close() };
}

/**
 * Worker side of the Wasm board: runs the firmware and serves its UART on `port` (a MessagePort from the
 * page). A worker entry only needs `onmessage = (e) => serveWasmBoard(e.data.port, e.data.wasm)`; the page
 * evaluates through `createPortTransport(otherPort)`.
 */
export async function serveWasmBoard(port: PortLike, wasm: Uint8Array): Promise<WasmBoard> {
  const board = await startWasmBoard(wasm);
  pipeTransports(board.transport, createPortTransport(port));
  return board;
}

/** The `wasm-thread` transport: the board's firmware.wasm instantiated in this thread (Node, or a worker). */
export const wasmThreadConnector: StreamConnector = {
  kind: 'wasm-thread',
  async open({ build }) {
    const board = await startWasmBoard(build.files['firmware.wasm']);
    return { transport: board.transport, stop: board.stop };
  },
};

/** Where the `wasm-worker` transport's board runs: a worker that serves the firmware on a port it is given. */
export interface WasmBoardHost {
  /** A connected pair of ports (a MessageChannel). */
  channel(): { board: PortLike; page: PortLike };
  /** Hands `port` to the worker, which runs `wasm` and serves its UART there (serveWasmBoard). */
  serve(port: PortLike, wasm: Uint8Array): Promise<void>;
}

/**
 * The `wasm-worker` transport: the board's firmware.wasm runs in a worker and the evaluation speaks to it
 * over a MessagePort, so neither the compiler nor the firmware blocks the page. Closing the page's end
 * stops the board (pipeTransports closes it).
 */
export function wasmWorkerConnector(host: WasmBoardHost): StreamConnector {
  return {
    kind: 'wasm-worker',
    async open({ build }) {
      const wasm = build.files['firmware.wasm'];
      if (!wasm) throw new WasmBoardError('the build produced no firmware.wasm for the wasm board');
      const { board, page } = host.channel();
      const transport = createPortTransport(page);
      await host.serve(board, wasm);
      return { transport, stop: () => transport.close() };
    },
  };
}
