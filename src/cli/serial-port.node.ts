// A Web Serial-shaped port over a Node serial device (stty + file descriptors, transport-serial.node.ts),
// so the CLI flashes with the same esptool-js code as the browser. Node cannot set DTR/RTS without a native
// module, so setSignals does nothing and the board must be put into download mode by hand (BOOT + RESET).
import { openSerialDevice } from '../core/evaluation/transport-serial.node';
import type { FlashablePort } from '../devices/esp32c3-flasher';

export function nodeSerialPort(device: string): FlashablePort & { readonly signalsSupported: false } {
  let transport: Awaited<ReturnType<typeof openSerialDevice>> | undefined;
  const port = {
    signalsSupported: false as const,
    readable: null as ReadableStream<Uint8Array> | null,
    writable: null as WritableStream<Uint8Array> | null,
    async open(options: { baudRate: number }) {
      transport = await openSerialDevice(device, options.baudRate, { timeoutMs: 2000 });
      const opened = transport;
      let writableController: WritableStreamDefaultController | undefined;
      const readable = new ReadableStream<Uint8Array>({
        start(controller) {
          opened.onData((chunk) => controller.enqueue(chunk));
          void opened.closed.then(({ reason }) => {
            try { if (reason) controller.error(new Error(`${reason} (device lost)`)); else controller.close(); } catch { /* already closed */ }
            // As Chrome does when the device goes away: both streams error and the port drops them, so a
            // writer waiting on the lost device is released instead of holding the port open for ever.
            if (reason) {
              writableController?.error(new Error(`${reason} (device lost)`));
              if (port.readable === readable) { port.readable = null; port.writable = null; }
            }
          });
        },
      });
      port.readable = readable;
      port.writable = new WritableStream<Uint8Array>({
        start(controller) { writableController = controller; },
        write: (chunk) => opened.write(chunk),
      });
    },
    async close() {
      await transport?.close();
      port.readable = null;
      port.writable = null;
    },
    async setSignals() { /* not available from Node: see the header */ },
    getInfo: () => ({}),
  };
  return port;
}
