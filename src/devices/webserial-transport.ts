// ByteTransport over Web Serial (navigator.serial): a board on USB (Nucleo's ST-LINK virtual COM port,
// any CDC-ACM or USB-UART bridge). The caller obtains the port with a user gesture
// (navigator.serial.requestPort()) and passes it here.
import { TransportBase, TransportError, type ByteTransport } from '../core/evaluation/transport';

/** The parts of the Web Serial SerialPort the adapter uses (so tests can pass a fake port). */
export interface SerialPortLike {
  open(options: { baudRate: number; dataBits?: number; stopBits?: number; parity?: 'none'; flowControl?: 'none'; bufferSize?: number }): Promise<void>;
  close(): Promise<void>;
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
}

class WebSerialTransport extends TransportBase implements ByteTransport {
  private reader?: ReadableStreamDefaultReader<Uint8Array>;
  private writer?: WritableStreamDefaultWriter<Uint8Array>;

  constructor(private readonly port: SerialPortLike) {
    super();
    if (!port.readable || !port.writable) throw new TransportError('the serial port opened without streams; unplug and replug the board, then retry');
    this.writer = port.writable.getWriter();
    this.reader = port.readable.getReader();
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await this.reader!.read();
        if (done) break;
        if (value) this.deliver(value.slice());
      }
      this.finish('the serial port closed');
    } catch (error) {
      this.finish(`reading the serial port failed: ${(error as Error).message} (was the board unplugged?)`);
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.assertOpen('send to the board');
    try {
      await this.writer!.write(bytes);
    } catch (error) {
      throw new TransportError(`writing to the serial port failed: ${(error as Error).message}`);
    }
  }

  async close(): Promise<void> {
    this.finish();
    try { await this.reader?.cancel(); } catch { /* already closed */ }
    this.reader?.releaseLock();
    try { await this.writer?.close(); } catch { /* already closed */ }
    this.writer?.releaseLock();
    await this.port.close().catch(() => undefined);
  }
}

/** Opens the port 8N1 without flow control at `baudRate` (Qualia's default is 921600). */
export async function openWebSerial(port: SerialPortLike, baudRate = 921600): Promise<ByteTransport & { readonly isClosed: boolean }> {
  try {
    await port.open({ baudRate, dataBits: 8, stopBits: 1, parity: 'none', flowControl: 'none', bufferSize: 65536 });
  } catch (error) {
    throw new TransportError(`could not open the serial port at ${baudRate} baud: ${String((error as Error)?.message ?? error).replace(/\.$/, '')}; close other programs using it (a serial monitor?) and retry`);
  }
  return new WebSerialTransport(port);
}
