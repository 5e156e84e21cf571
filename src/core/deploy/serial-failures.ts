// Why a board's serial port would not open, in plain words with the fix — one reading for every route that
// opens one: the ESP32-C3 flasher (Web Serial in the app, a tty in `mote flash --port`) and the runtime
// route's serial link (`deploy_and_evaluate --deploy.evaluator.params.dev=…`). The causes are told apart by
// what Chrome (DOMException names, "Failed to open serial port.") and Linux (errno codes, the tty transport's
// "did not appear") say; anything else keeps its own text.

export type SerialOpenCause = 'absent' | 'busy' | 'permission' | 'other';

/** The driver hint for USB-UART bridges on devkits (CP210x, CH340) that a computer may lack. */
export const BRIDGE_DRIVER_HINT = 'if it does not appear, a board with a CP210x or CH340 USB-UART chip needs that driver (Silicon Labs CP210x VCP, WCH CH34x) on Windows and macOS';

const text = (error: unknown) => `${(error as { name?: string })?.name ?? ''} ${(error as { code?: string })?.code ?? ''} ${(error as Error)?.message ?? String(error)}`;

export function serialOpenCause(error: unknown): SerialOpenCause {
  const said = text(error);
  if (/EBUSY|resource busy|Failed to open serial port|already open|InvalidStateError/i.test(said)) return 'busy';
  if (/EACCES|EPERM|permission denied|operation not permitted/i.test(said)) return 'permission';
  if (/ENOENT|ENXIO|ENODEV|no such (file|device)|did not appear|NotFoundError|device has been lost/i.test(said)) return 'absent';
  return 'other';
}

/** The sentence for a port `where` (a device path, or "the serial port") that would not open; `setting` names where its name is given. */
export function explainSerialOpen(error: unknown, where = 'the serial port', setting?: string): string {
  const reason = String((error as Error)?.message ?? error).split(/;\s/)[0].replace(/\.$/, '');
  switch (serialOpenCause(error)) {
    case 'busy':
      return `${where} is in use by another program (an Arduino or PlatformIO serial monitor, screen/minicom, another Mote tab): close it, then try again`;
    case 'permission':
      return `${where} may not be opened by this user (${reason}): on Linux add yourself to the dialout group (sudo usermod -aG dialout $USER, then log in again)`;
    case 'absent':
      return `no board answered on ${where} (${reason}): plug the board in with a data cable (not a charge-only one) and check the port's name${setting ? ` (${setting})` : ''}; ${BRIDGE_DRIVER_HINT}`;
    case 'other':
      return `could not open ${where}: ${reason}`;
  }
}

/**
 * Why an open link to a board failed: `lost` when the connection itself went (the cable pulled, the board reset
 * off the bus, the port closed: reads or writes fail, the stream ends), `silent` when the port stayed but the
 * board stopped answering (hung, or reset into something that is not the Mote Runtime), `none` when nothing on
 * the port ever answered as a Mote Runtime.
 */
export function linkFailure(error: unknown, transportClosed: boolean): 'lost' | 'silent' | 'none' {
  if (transportClosed) return 'lost';
  // Nothing on the port ever said HELLO: the wrong port, no Mote Runtime on the board, or the wrong baud rate
  // (every byte garbled). A HELLO that came and then stopped is 'silent'.
  if (/sent no HELLO/.test(String((error as Error)?.message ?? error))) return 'none';
  return /connection to the board (closed|is closed)|connection dropped|(reading|writing to) .* failed|EIO|ENXIO|ENODEV|device has been lost|NetworkError/i.test(String((error as Error)?.message ?? error)) ? 'lost' : 'silent';
}
