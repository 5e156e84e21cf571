// ByteTransport over a MessagePort, so a board running in a worker (the Wasm board) can be evaluated from
// the page, or the reverse. Messages are `{ bytes: Uint8Array }` (transferred) or `{ close: true }`.
import { TransportBase, type ByteTransport } from './transport';

/** The MessagePort subset used (browser MessagePort, Node's worker_threads MessagePort). */
export interface PortLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
  close(): void;
}

class PortTransport extends TransportBase implements ByteTransport {
  constructor(private readonly port: PortLike) {
    super();
    port.onmessage = (event) => {
      const data = event.data as { bytes?: Uint8Array; close?: boolean } | null;
      if (data?.bytes instanceof Uint8Array) this.deliver(data.bytes);
      else if (data?.close) { this.finish('the other side of the message port closed'); port.close(); }
    };
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.assertOpen('send to the board');
    const copy = bytes.slice();
    this.port.postMessage({ bytes: copy }, [copy.buffer]);
  }

  async close(): Promise<void> {
    if (!this.isClosed) this.port.postMessage({ close: true });
    this.finish();
    this.port.close();
  }
}

export function createPortTransport(port: PortLike): ByteTransport & { readonly isClosed: boolean } {
  return new PortTransport(port);
}

/** Pipes two transports into each other until either closes (e.g. a Wasm board ⇄ a worker's port). */
export function pipeTransports(a: ByteTransport, b: ByteTransport): void {
  a.onData((chunk) => { b.write(chunk).catch(() => undefined); });
  b.onData((chunk) => { a.write(chunk).catch(() => undefined); });
  a.closed.then(() => b.close());
  b.closed.then(() => a.close());
}
