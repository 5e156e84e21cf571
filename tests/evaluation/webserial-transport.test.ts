import { describe, expect, it } from 'vitest';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { createMemoryPair } from '../../src/core/evaluation/transport';
import { openWebSerial, type SerialPortLike } from '../../src/devices/webserial-transport';
import { fixtureReference } from '../firmware/fixture-model';
import { randomInt8Vectors } from '../firmware/helpers';
import { attachSimulatedBoard } from './simulated-board';

/** A Web Serial port (WHATWG streams, as navigator.serial gives) wired to a simulated protocol v1 board. */
function fakePort(): SerialPortLike & { opened?: number } {
  const [hostEnd, boardEnd] = createMemoryPair();
  let readable: ReadableStream<Uint8Array> | null = null;
  let writable: WritableStream<Uint8Array> | null = null;
  const port: SerialPortLike & { opened?: number } = {
    get readable() { return readable; },
    get writable() { return writable; },
    async open(options) {
      port.opened = options.baudRate;
      attachSimulatedBoard(boardEnd, { model: (v) => fixtureReference(v) });
      readable = new ReadableStream({ start(controller) { hostEnd.onData((chunk) => controller.enqueue(chunk)); hostEnd.closed.then(() => { try { controller.close(); } catch { /* already cancelled by the reader */ } }); } });
      writable = new WritableStream({ write: (chunk) => hostEnd.write(chunk) });
    },
    async close() { await hostEnd.close(); },
  };
  return port;
}

describe('Web Serial transport', () => {
  it('opens the port at the baud rate and carries a bit-exact evaluation', async () => {
    const port = fakePort();
    const transport = await openWebSerial(port, 115200);
    expect(port.opened).toBe(115200);
    const vectors = randomInt8Vectors(40, 16, 12);
    const report = await evaluateOnBoard({ transport, vectors, reference: (v) => fixtureReference(v) });
    expect(report.bit_exact).toBe(true);
    await transport.close();
    await expect(transport.write(new Uint8Array(1))).rejects.toThrow(/closed; reconnect/);
  });

  it('explains a port that cannot be opened', async () => {
    const busy: SerialPortLike = { readable: null, writable: null, open: async () => { throw new Error('Failed to open serial port.'); }, close: async () => undefined };
    await expect(openWebSerial(busy)).rejects.toThrow(/could not open the serial port at 921600 baud: Failed to open serial port; close other programs/);
  });
});
