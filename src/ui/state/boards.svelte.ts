// Board connections this browser can make, and the one in use. Transports belong to the firmware area
// (src/devices/webserial-transport.ts, websocket-transport.ts); the Wasm board to the virtual-board area.

class Boards {
  connected = $state<string | null>(null);
  readonly webSerial = typeof navigator !== 'undefined' && 'serial' in navigator;
  readonly webUsb = typeof navigator !== 'undefined' && 'usb' in navigator;
}

export const boards = new Boards();
