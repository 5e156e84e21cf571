// The byte stream an evaluator talks over: a serial port (Web Serial, a Node tty), a TCP socket to QEMU,
// a WebSocket to the hosted toolchain's bridge, or an in-memory pipe to the Wasm board. Deliberately tiny so
// each adapter stays a few lines; framing and retries live in the protocol and the evaluator.
import { MoteError } from '../base/errors';

export interface ByteTransport {
  /** Queues bytes for the other side; rejects if the transport is closed. */
  write(bytes: Uint8Array): Promise<void>;
  /**
   * Registers a receiver of incoming chunks; returns a function that unregisters it. Chunks that arrive
   * before any receiver is registered are kept and delivered to the first one.
   */
  onData(receiver: (chunk: Uint8Array) => void): () => void;
  /** Resolves once the stream has ended, from either side (the reason, if any, says why). */
  readonly closed: Promise<TransportClosed>;
  close(): Promise<void>;
}

export interface TransportClosed {
  /** Why the stream ended when it was not our own close(): "board disconnected", an OS error, … */
  reason?: string;
}

/** The stream failed or closed while the evaluator still needed it. */
export class TransportError extends MoteError {}

/**
 * Shared plumbing for adapters: buffering until a receiver exists, fan-out, a single closed promise.
 * Adapters call `deliver` for incoming bytes and `finish` when the stream ends.
 */
export class TransportBase {
  private receivers = new Set<(chunk: Uint8Array) => void>();
  private backlog: Uint8Array[] = [];
  private resolveClosed!: (value: TransportClosed) => void;
  private ended = false;
  readonly closed: Promise<TransportClosed> = new Promise((resolve) => { this.resolveClosed = resolve; });

  onData(receiver: (chunk: Uint8Array) => void): () => void {
    this.receivers.add(receiver);
    if (this.backlog.length) {
      const pending = this.backlog;
      this.backlog = [];
      for (const chunk of pending) receiver(chunk);
    }
    return () => { this.receivers.delete(receiver); };
  }

  protected deliver(chunk: Uint8Array): void {
    if (this.ended || chunk.length === 0) return;
    if (this.receivers.size === 0) { this.backlog.push(chunk); return; }
    for (const receiver of this.receivers) receiver(chunk);
  }

  protected finish(reason?: string): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveClosed({ reason });
  }

  get isClosed(): boolean {
    return this.ended;
  }

  protected assertOpen(what: string): void {
    if (this.ended) throw new TransportError(`cannot ${what}: the connection to the board is closed; reconnect and try again`);
  }
}

class MemoryEnd extends TransportBase implements ByteTransport {
  peer!: MemoryEnd;

  async write(bytes: Uint8Array): Promise<void> {
    this.assertOpen('send to the board');
    const copy = bytes.slice();
    // Deliver asynchronously, like a real stream, so a reply never re-enters the sender's stack.
    queueMicrotask(() => this.peer.receive(copy));
  }

  receive(chunk: Uint8Array): void {
    this.deliver(chunk);
  }

  async close(): Promise<void> {
    this.finish();
    this.peer.finish('the other end closed the connection');
  }
}

/** Two connected in-memory ends: what one writes, the other receives. Used by the Wasm board and tests. */
export function createMemoryPair(): [ByteTransport & { readonly isClosed: boolean }, ByteTransport & { readonly isClosed: boolean }] {
  const a = new MemoryEnd();
  const b = new MemoryEnd();
  a.peer = b;
  b.peer = a;
  return [a, b];
}
