// A Web Serial port in the page whose other end is the simulated ESP32-C3 ROM loader in Node
// (tests/boards/esp32c3-rom-loader.ts, behind the same SerialPort stand-in the Node flasher tests use,
// tests/boards/web-serial-stand-in.ts). The ROM loader needs node:zlib and node:crypto, so it stays in Node:
// `navigator.serial` is replaced (before the app loads) by a port whose open/read/write/setSignals/close cross
// to it through exposed functions. The app's own code — esptool-js inside src/devices/esp32c3-flasher.ts —
// runs unmodified on top. The USB ids the port reports are `window.__moteUsbIds`, set by the test.
import type { BrowserContext } from 'playwright-core';
import { SimulatedEsp32c3, type RomLoaderOptions } from '../tests/boards/esp32c3-rom-loader';
import { WebSerialStandIn, type StandInOptions } from '../tests/boards/web-serial-stand-in';

/** Runs in the page: navigator.serial with one port bridged to the Node ROM loader. */
function installRomPort(): void {
  type Binding = (...args: unknown[]) => Promise<unknown>;
  const call = (name: string, ...args: unknown[]) => (window as unknown as Record<string, Binding>)[name](...args);
  const failure = (text: string) => { const [name, ...rest] = text.split('|'); return new DOMException(rest.join('|'), name); };
  const w = window as unknown as { __moteUsbIds: { usbVendorId?: number; usbProductId?: number } };
  w.__moteUsbIds = { usbVendorId: 0x10c4, usbProductId: 0xea60 };
  class RomPort {
    readable: ReadableStream<Uint8Array> | null = null;
    writable: WritableStream<Uint8Array> | null = null;
    async open(options: { baudRate: number }): Promise<void> {
      const refused = (await call('__moteRomOpen', options.baudRate)) as string | null;
      if (refused) throw failure(refused);
      // As Chromium does when the USB device goes away: the streams error and the port drops them.
      const lost = () => { this.readable = null; this.writable = null; };
      this.readable = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const chunk = (await call('__moteRomRead')) as number[] | string | null;
          if (chunk === null) controller.close();
          else if (typeof chunk === 'string') { lost(); controller.error(failure(chunk)); }
          else controller.enqueue(new Uint8Array(chunk));
        },
        cancel() { void call('__moteRomClose'); },
      });
      this.writable = new WritableStream<Uint8Array>({
        async write(chunk) {
          const refused = (await call('__moteRomWrite', Array.from(chunk))) as string | null;
          if (refused) { lost(); throw failure(refused); }
        },
      });
    }
    async setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean }): Promise<void> {
      const refused = (await call('__moteRomSignals', signals)) as string | null;
      if (refused) throw failure(refused);
    }
    async close(): Promise<void> {
      await call('__moteRomClose');
      this.readable = null;
      this.writable = null;
    }
    getInfo() { return { ...w.__moteUsbIds }; }
    addEventListener() {}
    removeEventListener() {}
  }
  const port = new RomPort();
  const serial = { async requestPort() { return port; }, async getPorts() { return [port]; }, addEventListener() {}, removeEventListener() {} };
  Object.defineProperty(navigator, 'serial', { value: serial, configurable: true });
}

const describe = (error: unknown) => `${(error as Error)?.name ?? 'Error'}|${(error as Error)?.message ?? String(error)}`;

export class RomLoaderBridge {
  sim!: SimulatedEsp32c3;
  private standIn!: WebSerialStandIn;
  private reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  private writer: WritableStreamDefaultWriter<Uint8Array> | undefined;

  /** Plugs in a fresh simulated ESP32-C3 (powered on, its app or nothing in flash). */
  plug(chip: RomLoaderOptions = {}, port: StandInOptions = {}): SimulatedEsp32c3 {
    this.sim = new SimulatedEsp32c3(chip);
    this.standIn = new WebSerialStandIn(this.sim, port);
    this.reader = undefined;
    this.writer = undefined;
    this.sim.powerOn();
    return this.sim;
  }

  async install(context: BrowserContext): Promise<void> {
    await context.exposeFunction('__moteRomOpen', async (baudRate: number) => {
      try {
        await this.standIn.open({ baudRate });
        this.reader = this.standIn.readable!.getReader();
        this.writer = this.standIn.writable!.getWriter();
        return null;
      } catch (error) { return describe(error); }
    });
    await context.exposeFunction('__moteRomRead', async () => {
      const reader = this.reader;
      if (!reader) return null;
      try {
        const { value, done } = await reader.read();
        return done ? null : Array.from(value);
      } catch (error) { return describe(error); }
    });
    await context.exposeFunction('__moteRomWrite', async (bytes: number[]) => {
      try { await this.writer!.write(Uint8Array.from(bytes)); return null; } catch (error) { return describe(error); }
    });
    await context.exposeFunction('__moteRomSignals', async (signals: { dataTerminalReady?: boolean; requestToSend?: boolean }) => {
      try { await this.standIn.setSignals(signals); return null; } catch (error) { return describe(error); }
    });
    await context.exposeFunction('__moteRomClose', async () => {
      const { reader, writer } = this;
      this.reader = undefined;
      this.writer = undefined;
      try { writer?.releaseLock(); } catch { /* released */ }
      await this.standIn.close();
      try { reader?.releaseLock(); } catch { /* released */ }
      return null;
    });
    await context.addInitScript(installRomPort);
  }
}
