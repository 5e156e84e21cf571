// The 1200-baud touch: a board whose firmware watches its USB serial port's line coding (the Pico's Mote
// Runtime, runtime/ports/rp2040/mote_rt_usb.c) reboots into its bootloader's drive (RPI-RP2) when a host opens
// the port at 1200 baud and drops DTR. The host side is only that: open at the board's touch baud rate (the
// computer's CDC-ACM driver sends SET_LINE_CODING 1200 and raises DTR), drop DTR (SET_CONTROL_LINE_STATE 0),
// close. Where the port cannot drop DTR on request (the CLI's Node port: no native module), the close does,
// as every OS's CDC driver drops DTR when the last handle closes. Works with Web Serial's SerialPort and the
// CLI's nodeSerialPort alike. What it cannot know is that the board took it: the port going away (Web Serial's
// 'disconnect' event) is the sign; a board not running the Mote Runtime keeps its port and ignores the touch.
import { MoteError } from '../core/base/errors';

export class DriveTouchError extends MoteError {}

/** The parts of Web Serial's SerialPort (or the CLI's nodeSerialPort) the touch uses. */
export interface TouchablePort {
  open(options: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
  setSignals?(signals: { dataTerminalReady?: boolean; requestToSend?: boolean }): Promise<void>;
  /** Web Serial: 'disconnect' fires when the device leaves the bus. */
  addEventListener?(type: 'disconnect', listener: () => void): void;
  removeEventListener?(type: 'disconnect', listener: () => void): void;
}

export interface TouchOptions {
  /** The board's touch baud rate (BoardInstall.touchBaud). */
  baudRate?: number;
  /** How long to wait for the port to go away after the touch, where the port can say so (default 3000 ms). */
  goneWithinMs?: number;
  /** A close that has not settled by then is left (a board rebooting mid-close may never answer it). */
  closeWithinMs?: number;
}

export interface TouchResult {
  /** true: the port went away (the board is rebooting into its drive); false: it stayed; null: the port cannot tell. */
  gone: boolean | null;
}

const within = <T>(promise: Promise<T>, ms: number) => Promise.race([promise.then(() => true, () => true), new Promise<false>((r) => setTimeout(() => r(false), ms))]);

/** Opens `port` at the touch baud rate, drops DTR and closes it. Throws DriveTouchError only when the port would not open. */
export async function touchIntoDrive(port: TouchablePort, options: TouchOptions = {}): Promise<TouchResult> {
  const baudRate = options.baudRate ?? 1200;
  const canTell = typeof port.addEventListener === 'function';
  let gone = false;
  let resolveGone!: () => void;
  const goneSignal = new Promise<void>((resolve) => { resolveGone = resolve; });
  const listener = () => { gone = true; resolveGone(); };
  port.addEventListener?.('disconnect', listener);
  try {
    try {
      await port.open({ baudRate });
    } catch (error) {
      throw new DriveTouchError(`could not open the board's serial port at ${baudRate} baud (${String((error as Error)?.message ?? error).replace(/\.$/, '')}): close other programs using it (a serial monitor?)`);
    }
    // The board may reboot as soon as DTR drops, so neither step's answer is waited on for ever or required.
    await within(port.setSignals?.({ dataTerminalReady: false, requestToSend: false }) ?? Promise.resolve(), options.closeWithinMs ?? 2000);
    await within(port.close(), options.closeWithinMs ?? 2000);
    if (!canTell) return { gone: null };
    if (!gone) await within(goneSignal, options.goneWithinMs ?? 3000);
    return { gone };
  } finally {
    port.removeEventListener?.('disconnect', listener);
  }
}
