// Installs a Mote image on an ESP32-C3 over a serial port with esptool-js (Espressif's ESPLoader), from the
// browser (a Web Serial port) or from Node (any object with the same shape). It talks to the chip's ROM
// loader directly, without esptool's flasher stub: the C3's ROM takes compressed writes and answers
// SPI_FLASH_MD5, and skipping the stub keeps the exchange to what is documented.
// The MD5 check is Mote's own: in ROM mode esptool-js 0.7 hex-encodes the ROM's answer, which is already
// 32 ASCII hex characters, so its built-in comparison could never match (esploader.js flashMd5sum).
// Every failure ends in a FlashError subclass that says what happened and what to do; nothing resolves
// unless the flash read back equal to the image.
import { ESPLoader, Transport, type IEspLoaderTerminal } from 'esptool-js';
import { MoteError } from '../core/base/errors';
import { md5Hex } from '../core/deploy/formats/md5';
import { explainSerialOpen, serialOpenCause } from '../core/deploy/serial-failures';

/** The Web Serial SerialPort surface esptool-js's Transport uses. */
export interface FlashablePort {
  open(options: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
  readonly readable: ReadableStream<Uint8Array> | null;
  readonly writable: WritableStream<Uint8Array> | null;
  setSignals(signals: { dataTerminalReady?: boolean; requestToSend?: boolean; break?: boolean }): Promise<void>;
  getInfo(): { usbVendorId?: number; usbProductId?: number };
}

export class FlashError extends MoteError {}
/** No port was chosen, or none appeared. */
export class NoPortError extends FlashError {}
export class PortBusyError extends FlashError {}
/** The chip never answered its ROM loader: it did not enter download mode. */
export class NeedsBootButtonError extends FlashError {}
export class WrongChipError extends FlashError {}
export class VerifyFailedError extends FlashError {}
export class DisconnectedError extends FlashError {}

export const ESPRESSIF_USB_VID = 0x303a;
export const USB_SERIAL_JTAG_PID = 0x1001;
/** USB-UART bridges on ESP32 devkits, by USB vendor id: what driver a computer may need. */
const BRIDGE_DRIVERS: Record<number, string> = { 0x10c4: 'Silicon Labs CP210x', 0x1a86: 'WCH CH340/CH343', 0x0403: 'FTDI' };

export interface FlashProgress {
  written: number;
  total: number;
  /** Seconds left at the rate so far; undefined until there is a rate. */
  etaSeconds?: number;
}

export interface FlashEsp32c3Options {
  /** Where the image goes; the C3's ROM boots flash offset 0. */
  address?: number;
  /** 'default_reset' drives DTR/RTS; 'no_reset' when the user put the chip in download mode with BOOT. */
  before?: 'default_reset' | 'no_reset';
  /** Connection attempts (each tries the reset sequences); esptool's default is 7. */
  attempts?: number;
  onProgress?: (progress: FlashProgress) => void;
  onLog?: (line: string) => void;
  now?: () => number;
}

export interface FlashResult {
  chip: string;
  address: number;
  bytes: number;
  md5: string;
}

/** Turns Web Serial's requestPort() failure into a message with the fix. */
export function explainNoPort(error: unknown): FlashError {
  const name = (error as { name?: string })?.name;
  if (name === 'NotFoundError') {
    return new NoPortError('no serial port was chosen: plug the board in with a data cable (not a charge-only one) and pick it in the list; if it does not appear, a devkit with a CP210x or CH340 USB-UART chip needs that driver (Silicon Labs CP210x VCP, WCH CH34x) on Windows and macOS', { cause: error });
  }
  if (name === 'SecurityError') return new NoPortError('this page may not use Web Serial: open Mote over https or localhost in Chrome or Edge', { cause: error });
  return new NoPortError(`could not get a serial port: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

// esptool-js releases its writer after every write that succeeds, so "WritableStream is locked" means an earlier
// write failed: the port's stream broke under it (the device went) — where the port does not drop its streams
// on a lost device as Chrome's does (the CLI's Node port), that is the first sign esptool-js gives.
const lostDevice = (error: unknown) => /lost|disconnected|NetworkError|device has been|stream stopped|WritableStream is locked/i.test(`${(error as Error)?.name ?? ''} ${(error as Error)?.message ?? String(error)}`);

export async function flashEsp32c3(port: FlashablePort, image: Uint8Array, options: FlashEsp32c3Options = {}): Promise<FlashResult> {
  const address = options.address ?? 0;
  const now = options.now ?? (() => Date.now());
  const log = options.onLog ?? (() => undefined);
  const terminal: IEspLoaderTerminal = { clean: () => undefined, writeLine: (line: string) => log(line), write: (text: string) => log(text) };
  // What opening the port said, if it failed: a port that is not there or is held by another program is told
  // apart from a chip that does not answer (esptool-js reports all three from detectChip).
  let openFailure: { error: unknown } | undefined;
  const watched = new Proxy(port, {
    get(target, property) {
      if (property === 'open') {
        return async (options: { baudRate: number }) => {
          try { await target.open(options); } catch (error) { openFailure = { error }; throw error; }
        };
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  const transport = new Transport(watched as never, false);
  const loader = new ESPLoader({ transport, baudrate: 115200, romBaudrate: 115200, terminal, debugLogging: false });
  const info = port.getInfo();
  const bridge = info.usbVendorId !== undefined ? BRIDGE_DRIVERS[info.usbVendorId] : undefined;
  let stage = 'connecting';
  try {
    try {
      await loader.detectChip(options.before ?? 'default_reset', options.attempts ?? 7);
    } catch (error) {
      if (openFailure) {
        const cause = serialOpenCause(openFailure.error);
        const message = explainSerialOpen(openFailure.error);
        if (cause === 'busy') throw new PortBusyError(message, { cause: error });
        if (cause === 'absent') throw new NoPortError(message, { cause: error });
        throw new FlashError(message, { cause: error });
      }
      if (/Failed to open serial port|already open|InvalidStateError/i.test(`${(error as Error).name} ${(error as Error).message}`)) {
        throw new PortBusyError(explainSerialOpen(error), { cause: error });
      }
      if (lostDevice(error)) throw new DisconnectedError('the board was unplugged while connecting: plug it back in and try again', { cause: error });
      if (error instanceof FlashError) throw error;
      const native = info.usbVendorId === ESPRESSIF_USB_VID;
      throw new NeedsBootButtonError(`the ESP32-C3 did not answer its download mode${native ? ' (its own USB port cannot always reset it)' : bridge ? ` (through the ${bridge} USB-UART bridge)` : ''}: hold the BOOT button, press and release RESET (EN), release BOOT, then try again; if it still does not answer, check that this is the board's port`, { cause: error });
    }
    const chip = loader.chip.CHIP_NAME;
    if (chip !== 'ESP32-C3') throw new WrongChipError(`this board is an ${chip}, not an ESP32-C3: choose the board that matches it (classic ESP32 and ESP32-S3 need the hosted toolchain's Xtensa compiler)`);
    stage = 'preparing the flash';
    await loader.flashSpiAttach(0);
    stage = 'writing';
    const started = now();
    await loader.writeFlash({
      fileArray: [{ data: image, address }], flashMode: 'keep', flashFreq: 'keep', flashSize: 'keep', eraseAll: false, compress: true,
      reportProgress: (_file: number, written: number, total: number) => {
        const elapsed = (now() - started) / 1000;
        const etaSeconds = written > 0 && elapsed > 0 ? ((total - written) * elapsed) / written : undefined;
        options.onProgress?.({ written, total, etaSeconds });
      },
    } as never);
    stage = 'verifying';
    const expected = md5Hex(image);
    const answer = await loader.flashMd5sum(address, image.length);
    // The ROM's answer arrives as 32 ASCII hex digits, which esptool-js returns hex-encoded once more.
    const flashed = answer.length === 64 ? answer.replace(/../g, (pair) => String.fromCharCode(parseInt(pair, 16))) : answer;
    if (flashed.toLowerCase() !== expected) {
      throw new VerifyFailedError(`the flash did not read back as written (MD5 ${flashed} instead of ${expected}): flash again; if it keeps failing try another USB cable or port. The board is not marked as installed`);
    }
    stage = 'restarting the board';
    // RTS pulses EN (esptool's hard reset); esptool-js 0.7's HardReset only releases it, which does not reset.
    await transport.setDTR(false);
    await transport.setRTS(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await transport.setRTS(false);
    return { chip, address, bytes: image.length, md5: expected };
  } catch (error) {
    if (error instanceof FlashError) throw error;
    if (lostDevice(error) || /time ?out|timed out/i.test((error as Error)?.message ?? '')) {
      throw new DisconnectedError(`the board stopped answering while ${stage} (unplugged or reset?): plug it back in and flash again — a partly written image is not marked as installed`, { cause: error });
    }
    throw new FlashError(`flashing the ESP32-C3 failed while ${stage}: ${(error as Error).message}`, { cause: error });
  } finally {
    // esptool-js's disconnect waits until the port's streams are unlocked, and a write that failed on a lost
    // device never releases its writer: a port that keeps its streams after the device went (the CLI's Node
    // port) would hang here for ever. Give it a bounded time, then close the port itself.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disconnected = await Promise.race([
      transport.disconnect().then(() => true, () => true),
      new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), 2000); }),
    ]);
    clearTimeout(timer);
    if (!disconnected) await port.close().catch(() => undefined);
  }
}
