// Installs a Mote image on a BBC micro:bit v2 through its DAPLink interface chip over WebUSB, with the micro:bit
// Foundation's own library (@microbit/microbit-connection 1.0: createUSBConnection → connect → flash). The
// library opens the CMSIS-DAP interface of the DAPLink (0d28:0204), reads the board id with DAPLink's vendor
// command 0x80 and the nRF52's FICR over SWD, halts the core, then streams the Intel HEX to DAPLink's flash
// commands (OPEN 0x8A, WRITE 0x8C, CLOSE 0x8B, RESET 0x89), which program the nRF52833 and restart it.
// Mote asks for that full flash (`partial: false`): the runtime replaces the whole program, and partial
// flashing would run a page-hash routine on the target first. The library reads `navigator.usb` itself; in
// Node the tests put a simulated DAPLink there (tests/boards/microbit-daplink.ts). Every failure ends in a
// FlashError subclass in plain words; nothing resolves unless DAPLink acknowledged the close of the stream.
import { createUSBConnection, type MicrobitUSBConnection } from '@microbit/microbit-connection/usb';
import { createUniversalHexFlashDataSource } from '@microbit/microbit-connection/universal-hex';
import { DeviceError, FlashDataError, type BoardVersion, type Logging } from '@microbit/microbit-connection';
import { CancelledError } from '../core/base/errors';
import { readIntelHex } from '../core/deploy/formats/intel-hex';
import { DisconnectedError, FlashError, NoPortError, PortBusyError, WrongChipError, type FlashProgress } from './esp32c3-flasher';

export interface FlashMicrobitOptions {
  onProgress?: (progress: FlashProgress) => void;
  onLog?: (line: string) => void;
  signal?: AbortSignal;
  now?: () => number;
}

export interface MicrobitFlashResult {
  /** 'V2': the only version the image is built for. */
  board: BoardVersion;
  /** DAPLink's board id from the USB serial number (9903…9906 for a v2), when the browser shows it. */
  boardId: string | null;
  /** Bytes of Intel HEX streamed to DAPLink. */
  bytes: number;
}

/** A micro:bit v1 (nRF51822, Cortex-M0, 16 KiB RAM) cannot run an image built for the nRF52833. */
export class WrongMicrobitError extends WrongChipError {}

const V1_TEXT = 'this is a micro:bit v1 (nRF51822, Cortex-M0): the Mote Runtime is built for the micro:bit v2 (nRF52833, the one with a microphone and a touch logo); nothing was written. Use a micro:bit v2';

/** What the library's errors mean for the person, with the fix. */
export function explainMicrobitError(error: unknown): FlashError {
  if (error instanceof FlashError) return error;
  const code = error instanceof DeviceError ? error.code : undefined;
  const message = (error as Error)?.message ?? String(error);
  switch (code) {
    case 'no-device-selected':
      return new NoPortError('no micro:bit was chosen: plug it in with a data cable (not a charge-only one) and pick "BBC micro:bit CMSIS-DAP" in the browser\'s list', { cause: error });
    case 'device-in-use':
      return new PortBusyError('the micro:bit is in use by another tab or program (another editor, a serial terminal): close it, unplug and replug the micro:bit, and try again', { cause: error });
    case 'device-disconnected':
      return new DisconnectedError('the micro:bit was unplugged (or its cable lost contact) while it was being flashed: plug it back in and install again; the board was not recorded as installed', { cause: error });
    case 'unsupported':
      return new FlashError('this browser has no WebUSB: use Chrome or Edge on a desktop', { cause: error });
    case 'firmware-update-required':
      return new FlashError('the micro:bit\'s interface chip (DAPLink) firmware is too old for WebUSB: update it (microbit.org/get-started/user-guide/firmware) and try again', { cause: error });
    case 'timeout':
      return new FlashError('the micro:bit did not answer in time: unplug it, plug it back in and try again', { cause: error });
  }
  if (/disconnected|transfer error|NetworkError|NotFoundError/i.test(`${(error as Error)?.name ?? ''} ${message}`)) {
    return new DisconnectedError('the micro:bit was unplugged (or its cable lost contact) while it was being flashed: plug it back in and install again; the board was not recorded as installed', { cause: error });
  }
  return new FlashError(`flashing the micro:bit failed: ${message.replace(/\.$/, '')}`, { cause: error });
}

const quiet = (log: (line: string) => void): Logging => ({
  event: () => undefined,
  error: (m: string) => log(m),
  log: (e: unknown) => log(String(e)),
});

/** The board id (9900…9906) at the start of DAPLink's 48-digit USB serial number, when the browser shows it. */
function boardIdOf(connection: MicrobitUSBConnection): string | null {
  const serial = connection.getDevice()?.serialNumber ?? '';
  return /^99\d\d/.test(serial) ? serial.slice(0, 4) : null;
}

/**
 * Flashes `hex` (Intel HEX text or its bytes, for the nRF52833) onto a micro:bit v2 through WebUSB. Asks for the
 * device when none was allowed before (the browser's chooser: call from a click). Resolves once DAPLink has
 * taken and closed the whole stream.
 */
export async function flashMicrobit(hex: Uint8Array | string, options: FlashMicrobitOptions = {}): Promise<MicrobitFlashResult> {
  const text = typeof hex === 'string' ? hex : new TextDecoder().decode(hex);
  readIntelHex(text); // a damaged file is refused before the board is touched
  const now = options.now ?? (() => Date.now());
  const log = options.onLog ?? (() => undefined);
  const total = new TextEncoder().encode(text).length;
  const connection = createUSBConnection({ logging: quiet(log), pauseOnHidden: false });
  const cancelled = () => { if (options.signal?.aborted) throw new CancelledError('the install was cancelled'); };
  // Whether the browser reported the micro:bit unplugged: the library's own error then depends on whether
  // that event came before or after the failed transfer (its cleanup may trip over the cleared device).
  let unplugged = false;
  const usb = (globalThis as { navigator?: { usb?: EventTarget } }).navigator?.usb;
  const onDisconnect = (event: Event) => {
    const device = (event as Event & { device?: unknown }).device;
    if (!connection.getDevice() || device === connection.getDevice()) unplugged = true;
  };
  usb?.addEventListener('disconnect', onDisconnect);
  try {
    await connection.initialize();
    cancelled();
    await connection.connect();
    const boardId = boardIdOf(connection);
    if (connection.getBoardVersion() !== 'V2') throw new WrongMicrobitError(`${V1_TEXT}${boardId ? ` (its interface chip reports board id ${boardId})` : ''}`);
    cancelled();
    const universal = createUniversalHexFlashDataSource(text);
    let started: number | undefined;
    await connection.flash(async (version) => {
      if (version !== 'V2') throw new FlashDataError(V1_TEXT);
      return universal(version);
    }, {
      partial: false,
      minimumProgressIncrement: 0.01,
      progress: (stage, value) => {
        cancelled();
        if (stage !== 'FullFlashing' || value === undefined) return;
        const t = now();
        started ??= t;
        const written = Math.round(value * total);
        const rate = written > 0 && t > started ? written / ((t - started) / 1000) : undefined;
        options.onProgress?.({ written, total, etaSeconds: rate ? (total - written) / rate : undefined });
      },
    });
    log(`DAPLink took ${total} bytes of Intel HEX and restarted the micro:bit`);
    return { board: 'V2', boardId, bytes: total };
  } catch (error) {
    if (options.signal?.aborted) throw new CancelledError('the install was cancelled', { cause: error });
    if (unplugged) throw explainMicrobitError(new DeviceError({ code: 'device-disconnected', message: 'The device was disconnected.', cause: error }));
    if (error instanceof FlashDataError) throw new WrongMicrobitError(error.message, { cause: error });
    throw explainMicrobitError(error);
  } finally {
    usb?.removeEventListener('disconnect', onDisconnect);
    await connection.disconnect().catch(() => undefined);
    connection.dispose();
  }
}
