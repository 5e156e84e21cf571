// A stand-in for the browser's Web Serial SerialPort (the part esptool-js and Mote's Web Serial code use:
// open/close, readable/writable streams, setSignals, getInfo), wired to a simulated chip. Failure modes
// follow what Chrome reports: open() of a port another program holds rejects with "Failed to open serial
// port." (InvalidStateError/NetworkError), and unplugging errors the readable stream (NetworkError).
import type { SimulatedEsp32c3 } from './esp32c3-rom-loader';

export interface StandInOptions {
  usbVendorId?: number;
  usbProductId?: number;
  /** Another program holds the port. */
  busy?: boolean;
}

export class WebSerialStandIn {
  readable: ReadableStream<Uint8Array> | null = null;
  writable: WritableStream<Uint8Array> | null = null;
  opened = 0;
  private controller?: ReadableStreamDefaultController<Uint8Array>;

  constructor(private readonly chip: SimulatedEsp32c3, private readonly options: StandInOptions = {}) {
    chip.attach(
      (bytes) => { try { this.controller?.enqueue(bytes.slice()); } catch { /* closed */ } },
      () => {
        try { this.controller?.error(new DOMException('The device has been lost.', 'NetworkError')); } catch { /* closed */ }
        this.readable = null;
        this.writable = null;
      },
    );
  }

  getInfo() { return { usbVendorId: this.options.usbVendorId ?? 0x10c4, usbProductId: this.options.usbProductId ?? 0xea60 }; }

  async open(_options: { baudRate: number }): Promise<void> {
    if (this.options.busy) throw new DOMException('Failed to open serial port.', 'NetworkError');
    if (this.chip.unplugged) throw new DOMException('The device has been lost.', 'NetworkError');
    if (this.readable) throw new DOMException('The port is already open.', 'InvalidStateError');
    this.opened++;
    this.readable = new ReadableStream<Uint8Array>({ start: (controller) => { this.controller = controller; } });
    this.writable = new WritableStream<Uint8Array>({
      write: (chunk) => {
        if (this.chip.unplugged) throw new DOMException('The device has been lost.', 'NetworkError');
        this.chip.receive(chunk);
      },
    });
  }

  async setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean; break?: boolean }): Promise<void> {
    if (this.chip.unplugged) throw new DOMException('The device has been lost.', 'NetworkError');
    this.chip.setSignals(signals.dataTerminalReady, signals.requestToSend);
  }

  async close(): Promise<void> {
    try { this.controller?.close(); } catch { /* already errored */ }
    this.readable = null;
    this.writable = null;
  }

  // Web Serial event API, unused by esptool-js's Transport but part of SerialPort.
  addEventListener(): void {}
  removeEventListener(): void {}
}
