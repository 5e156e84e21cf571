// The steps of installing the Mote Runtime on a physical board (the Boards page's Install button), as a pure
// state machine: the page feeds it what the flasher or the drive copy reports, and reads what to show. The one
// rule it exists for: a board is recorded as installed only on `verified` after `verifying` — a failure, an
// unplugged board or a cancel at any step leaves nothing recorded, and a late progress report from a flash that
// already failed changes nothing.
import { crc32 } from '../base/crc32';
import type { BoardInstall, BoardKind } from './board';

/** What is kept per board once its runtime is installed and verified. */
export interface InstallRecord {
  /** Registry kind of the board. */
  readonly board: string;
  /** The image's file name (runtime/prebuilt/, or the file the person chose). */
  readonly image: string;
  readonly bytes: number;
  /** CRC-32 of the installed image, 8 hex digits: which build is on the board. */
  readonly crc32: string;
  readonly method: BoardInstall['method'];
  /** How it was checked: the flash read back (MD5) by the chip's ROM, DAPLink accepted and closed the whole stream, or the drive accepted the whole file. */
  readonly verifiedBy: 'flash-md5' | 'daplink-stream' | 'drive-copy';
  /** USB ids of the port it was installed through, when known ("303a:1001"). */
  readonly usb: string | null;
  readonly installedAt: string;
}

export type InstallState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'connecting'; readonly activity: string }
  | { readonly phase: 'writing'; readonly written: number; readonly total: number; readonly etaSeconds?: number }
  | { readonly phase: 'verifying'; readonly activity: string }
  | { readonly phase: 'installed'; readonly record: InstallRecord }
  | { readonly phase: 'failed'; readonly message: string }
  | { readonly phase: 'cancelled' };

export type InstallEvent =
  | { readonly type: 'start'; readonly activity: string }
  | { readonly type: 'progress'; readonly written: number; readonly total: number; readonly etaSeconds?: number }
  | { readonly type: 'verifying'; readonly activity: string }
  | { readonly type: 'verified'; readonly record: InstallRecord }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'cancelled' }
  | { readonly type: 'reset' };

export const idleInstall: InstallState = { phase: 'idle' };

const busy = (s: InstallState) => s.phase === 'connecting' || s.phase === 'writing' || s.phase === 'verifying';

/** The next state; an event that does not fit the current step is ignored (the state is returned as it is). */
export function installStep(state: InstallState, event: InstallEvent): InstallState {
  switch (event.type) {
    case 'start':
      return busy(state) ? state : { phase: 'connecting', activity: event.activity };
    case 'progress':
      if (state.phase !== 'connecting' && state.phase !== 'writing') return state;
      return { phase: 'writing', written: Math.min(event.written, event.total), total: event.total, etaSeconds: event.etaSeconds };
    case 'verifying':
      return state.phase === 'writing' || state.phase === 'connecting' ? { phase: 'verifying', activity: event.activity } : state;
    case 'verified':
      return state.phase === 'verifying' ? { phase: 'installed', record: event.record } : state;
    case 'failed':
      return busy(state) ? { phase: 'failed', message: event.message } : state;
    case 'cancelled':
      return busy(state) ? { phase: 'cancelled' } : state;
    case 'reset':
      return busy(state) ? state : idleInstall;
  }
}

/** The record of an image that was written and verified. */
export function installRecord(board: string, install: BoardInstall, image: { name: string; bytes: Uint8Array }, usb: string | null, now = new Date()): InstallRecord {
  return {
    board, image: image.name, bytes: image.bytes.length, crc32: crc32(image.bytes).toString(16).padStart(8, '0'),
    method: install.method, verifiedBy: install.method === 'esptool' ? 'flash-md5' : install.method === 'daplink-webusb' ? 'daplink-stream' : 'drive-copy', usb, installedAt: now.toISOString(),
  };
}

/** "about 12 s left" / "about 2 min 5 s left"; empty until there is a rate. */
export function etaText(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  const s = Math.max(0, Math.ceil(seconds));
  return s < 60 ? `about ${s} s left` : `about ${Math.floor(s / 60)} min ${s % 60} s left`;
}

/** Whether a model of `need` bytes fits the board's `have`; null when the board is unbounded. */
export function fitsCapacity(need: { flashBytes: number; ramBytes: number }, have: { flashBytes: number | null; ramBytes: number | null }): string | null {
  const over: string[] = [];
  if (have.flashBytes !== null && need.flashBytes > have.flashBytes) over.push(`flash: the model needs ${need.flashBytes} B, the board has ${have.flashBytes} B`);
  if (have.ramBytes !== null && need.ramBytes > have.ramBytes) over.push(`RAM: the model needs ${need.ramBytes} B, the board has ${have.ramBytes} B`);
  return over.length ? `This model does not fit the board (${over.join('; ')}); choose a smaller model or a bigger board. Nothing was sent to the board.` : null;
}

/** A board a person plugs in: it is installed through a drive or a ROM loader, or reached over Web Serial. */
export const isPhysical = (board: BoardKind): boolean => Boolean(board.install) || board.transports.includes('webserial');
