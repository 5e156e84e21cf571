// ByteTransport over a WebSocket: the hosted toolchain's bridge to a VirtualCortexM4 board's UART
// (server/toolchain-service.ts, `/boards/<id>/uart`). Binary messages carry raw UART bytes both ways.
import { TransportBase, TransportError, type ByteTransport } from '../core/evaluation/transport';

/** The subset of the WHATWG WebSocket the adapter uses (the `ws` package provides it in Node). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code?: number; reason?: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

class WebSocketTransport extends TransportBase implements ByteTransport {
  constructor(private readonly socket: WebSocketLike) {
    super();
    socket.onmessage = (event) => {
      const data = event.data;
      if (data instanceof ArrayBuffer) this.deliver(new Uint8Array(data));
      else if (ArrayBuffer.isView(data)) this.deliver(new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice());
    };
    socket.onclose = (event) => this.finish(`the board bridge closed the WebSocket${event.reason ? `: ${event.reason}` : ''}`);
    socket.onerror = () => this.finish('the WebSocket to the board bridge failed');
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.assertOpen('send to the board');
    this.socket.send(bytes);
  }

  async close(): Promise<void> {
    this.socket.close();
    this.finish();
  }
}

/** Opens `url` (ws:// or wss://) and resolves once connected. */
export function connectWebSocket(url: string, WebSocketImpl: new (url: string) => WebSocketLike = globalThis.WebSocket as unknown as new (url: string) => WebSocketLike): Promise<ByteTransport & { readonly isClosed: boolean }> {
  return new Promise((resolve, reject) => {
    let socket: WebSocketLike;
    try {
      socket = new WebSocketImpl(url);
    } catch (error) {
      reject(new TransportError(`cannot open a WebSocket to ${url}: ${(error as Error).message}`));
      return;
    }
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => resolve(new WebSocketTransport(socket));
    socket.onerror = () => reject(new TransportError(`the board bridge at ${url} refused the connection; is the hosted toolchain running and the board started?`));
  });
}
