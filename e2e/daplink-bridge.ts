// A WebUSB micro:bit in the page whose other end is the simulated DAPLink in Node (tests/boards/microbit-daplink.ts,
// the device the Node flasher tests use): `navigator.usb` is replaced (before the app loads) by one whose
// requestDevice hands out a USBDevice stand-in; its open/selectConfiguration/claimInterface/transferOut/
// transferIn/close cross to the simulated device through exposed functions. The app's own code —
// @microbit/microbit-connection inside src/devices/microbit-flasher.ts, as Vite bundled it — runs unmodified on top.
import type { BrowserContext, Page } from 'playwright-core';
import { SimulatedMicrobit, type SimulatedMicrobitOptions } from '../tests/boards/microbit-daplink';

/** Runs in the page: navigator.usb with the bridged micro:bit (or none, when the chooser is dismissed). */
function installUsb(): void {
  type Binding = (...args: unknown[]) => Promise<unknown>;
  const call = (name: string, ...args: unknown[]) => (window as unknown as Record<string, Binding>)[name](...args);
  const failure = (text: string) => { const [name, ...rest] = text.split('|'); return new DOMException(rest.join('|'), name); };
  const check = (result: unknown) => { if (typeof result === 'string') throw failure(result); return result; };
  class BridgedDevice {
    opened = false;
    configuration: unknown = null;
    constructor(readonly vendorId: number, readonly productId: number, readonly serialNumber: string, readonly productName: string, readonly manufacturerName: string) {}
    async open() { check(await call('__moteUsb', 'open')); this.opened = true; }
    async close() { this.opened = false; check(await call('__moteUsb', 'close')); }
    async selectConfiguration(value: number) { this.configuration = check(await call('__moteUsb', 'selectConfiguration', value)); }
    async claimInterface(n: number) { check(await call('__moteUsb', 'claimInterface', n)); }
    async transferOut(endpoint: number, data: BufferSource) {
      const bytes = ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : new Uint8Array(data);
      return check(await call('__moteUsb', 'transferOut', endpoint, Array.from(bytes)));
    }
    async transferIn(endpoint: number, length: number) {
      const bytes = check(await call('__moteUsb', 'transferIn', endpoint, length)) as number[];
      return { status: 'ok', data: new DataView(Uint8Array.from(bytes).buffer) };
    }
  }
  class BridgedUsb extends EventTarget {
    device: BridgedDevice | undefined;
    async requestDevice() {
      const info = (await call('__moteUsbChoose')) as { vendorId: number; productId: number; serialNumber: string; productName: string; manufacturerName: string } | null;
      if (!info) throw new DOMException('No device selected.', 'NotFoundError');
      this.device = new BridgedDevice(info.vendorId, info.productId, info.serialNumber, info.productName, info.manufacturerName);
      return this.device;
    }
    async getDevices() { return []; }
  }
  const usb = new BridgedUsb();
  (window as unknown as { __moteUsbUnplugged: () => void }).__moteUsbUnplugged = () => {
    const event = new Event('disconnect') as Event & { device?: unknown };
    event.device = usb.device;
    usb.dispatchEvent(event);
  };
  Object.defineProperty(navigator, 'usb', { value: usb, configurable: true });
}

const describe = (error: unknown) => `${(error as Error)?.name ?? 'Error'}|${(error as Error)?.message ?? String(error)}`;

export class DaplinkBridge {
  device: SimulatedMicrobit | undefined;
  page: Page | undefined;

  /** Plugs in a fresh simulated micro:bit (undefined: the person dismisses the browser's chooser). */
  plug(options?: SimulatedMicrobitOptions): SimulatedMicrobit | undefined {
    this.device = options ? new SimulatedMicrobit(options) : undefined;
    if (this.device) this.device.onUnplug = () => { void this.page?.evaluate(() => (window as unknown as { __moteUsbUnplugged: () => void }).__moteUsbUnplugged()); };
    return this.device;
  }

  async install(context: BrowserContext): Promise<void> {
    await context.exposeFunction('__moteUsbChoose', async () => {
      const d = this.device;
      return d && !d.unplugged ? { vendorId: d.vendorId, productId: d.productId, serialNumber: d.serialNumber, productName: d.productName, manufacturerName: d.manufacturerName } : null;
    });
    await context.exposeFunction('__moteUsb', async (method: string, ...args: unknown[]) => {
      const d = this.device;
      if (!d) return 'NotFoundError|The device was disconnected.';
      try {
        switch (method) {
          case 'open': await d.open(); return null;
          case 'close': await d.close(); return null;
          case 'selectConfiguration': await d.selectConfiguration(args[0] as number); return d.configuration;
          case 'claimInterface': await d.claimInterface(args[0] as number); return null;
          case 'transferOut': return await d.transferOut(args[0] as number, Uint8Array.from(args[1] as number[]));
          case 'transferIn': return Array.from(new Uint8Array((await d.transferIn(args[0] as number, args[1] as number)).data.buffer));
          default: return `NotSupportedError|${method}`;
        }
      } catch (error) { return describe(error); }
    });
    await context.addInitScript(installUsb);
  }
}
