// A Web Serial port in the page whose other end is a real board's UART in Node: `navigator.serial` is replaced
// (before the app loads) by a stand-in whose SerialPort has WHATWG readable/writable streams, and every
// byte crosses to and from the board's ByteTransport (QEMU's TCP serial) through exposed functions. The app's
// own Web Serial code (src/devices/webserial-transport.ts) runs unmodified on top of it.
import type { BrowserContext } from 'playwright-core';
import type { ByteTransport } from '../src/core/evaluation/transport';

/** Runs in the page: installs navigator.serial with one port bridged to Node. */
function installFakeSerial(): void {
  type Binding = (...args: unknown[]) => Promise<unknown>;
  const call = (name: string, ...args: unknown[]) => (window as unknown as Record<string, Binding>)[name](...args);
  class BridgedSerialPort {
    readable: ReadableStream<Uint8Array> | null = null;
    writable: WritableStream<Uint8Array> | null = null;
    async open(options: { baudRate: number }): Promise<void> {
      const refused = (await call('__moteSerialOpen', options.baudRate)) as string | null;
      if (refused) throw new DOMException(refused, 'NetworkError');
      this.readable = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = (await call('__moteSerialRead')) as number[] | string | null;
          if (chunk === null) controller.close();
          else if (typeof chunk === 'string') controller.error(new DOMException(chunk, 'NetworkError'));
          else controller.enqueue(new Uint8Array(chunk));
        },
        cancel() { void call('__moteSerialClose'); },
      });
      this.writable = new WritableStream<Uint8Array>({
        async write(chunk) {
          const refused = (await call('__moteSerialWrite', Array.from(chunk))) as string | null;
          if (refused) throw new DOMException(refused, 'NetworkError');
        },
      });
    }
    async close(): Promise<void> {
      await call('__moteSerialClose');
      this.readable = null;
      this.writable = null;
    }
    getInfo() { return { usbVendorId: 0x0483, usbProductId: 0x374b }; }
  }
  const serial = {
    async requestPort() { return new BridgedSerialPort(); },
    async getPorts() { return []; },
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(navigator, 'serial', { value: serial, configurable: true });
}

/** The Node end: attach a board, optionally "unplug" it after some writes from the page. */
export class SerialBridge {
  /** `baudRate`: the only rate the board's UART answers at (a Mote evaluation firmware's 921600 unless told). */
  constructor(private readonly baudRate = 921600) {}
  private board: ByteTransport | undefined;
  private queue: Uint8Array[] = [];
  private waiting: ((chunk: number[] | string | null) => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private unplugged: string | undefined;
  private open = false;
  /** Frames the page wrote since the port opened. */
  writes = 0;
  /** When set, the port fails like an unplugged board once the page has written this many times. */
  unplugAfterWrites: number | undefined;
  /** When set, writes beyond this many are swallowed (a board that stopped listening). */
  stallAfterWrites: number | undefined;
  /** Another program holds the port: open() fails as Chromium's does. */
  busy = false;

  /** The board the next opened port talks to. */
  attach(board: ByteTransport): void {
    this.board = board;
    this.unplugged = undefined;
    this.writes = 0;
    this.unplugAfterWrites = undefined;
    this.stallAfterWrites = undefined;
  }

  async install(context: BrowserContext): Promise<void> {
    await context.exposeFunction('__moteSerialOpen', (baudRate: number) => {
      if (!this.board) return 'no board is plugged in';
      if (this.busy) return 'Failed to open serial port.';
      if (this.open) return 'the port is already open';
      if (baudRate !== this.baudRate) return `the board's UART runs at ${this.baudRate} baud, not ${baudRate}`;
      this.open = true;
      this.queue = [];
      this.unsubscribe = this.board.onData((chunk) => this.push(chunk));
      void this.board.closed.then(() => this.end(null));
      return null;
    });
    await context.exposeFunction('__moteSerialRead', () => {
      if (this.unplugged) return this.unplugged;
      const next = this.queue.shift();
      if (next) return Array.from(next);
      if (!this.open) return null;
      return new Promise<number[] | string | null>((resolve) => { this.waiting = resolve; });
    });
    await context.exposeFunction('__moteSerialWrite', async (bytes: number[]) => {
      if (this.unplugged) return this.unplugged;
      if (!this.board || !this.open) return 'the port is not open';
      this.writes++;
      if (this.unplugAfterWrites !== undefined && this.writes > this.unplugAfterWrites) { this.unplug(); return this.unplugged!; }
      if (this.stallAfterWrites !== undefined && this.writes > this.stallAfterWrites) return null;
      await this.board.write(Uint8Array.from(bytes));
      return null;
    });
    await context.exposeFunction('__moteSerialClose', () => { this.end(null); return null; });
    await context.addInitScript(installFakeSerial);
  }

  /** Fails the port's streams as Chromium does when the USB device goes away. */
  unplug(): void {
    this.unplugged = 'The device has been lost.';
    this.end(this.unplugged);
  }

  private push(chunk: Uint8Array): void {
    if (this.waiting) { const w = this.waiting; this.waiting = undefined; w(Array.from(chunk)); } else this.queue.push(chunk.slice());
  }

  private end(result: string | null): void {
    this.open = false;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.waiting) { const w = this.waiting; this.waiting = undefined; w(result); }
  }
}
