// Board connections this browser can make, and the one in use. Transports belong to the firmware area
// (src/devices/webserial-transport.ts, websocket-transport.ts); the Wasm board to the virtual-board area.

import type { EvaluationReport } from '../../core/evaluation/evaluator';

class Boards {
  connected = $state<string | null>(null);
  /** The last on-target evaluation of this tab, with the class names of its dataset. */
  report = $state<{ evaluation: EvaluationReport; classNames: string[] } | null>(null);
  readonly webSerial = typeof navigator !== 'undefined' && 'serial' in navigator;
  readonly webUsb = typeof navigator !== 'undefined' && 'usb' in navigator;
}

export const boards = new Boards();
