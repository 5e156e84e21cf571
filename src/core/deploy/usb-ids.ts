// Which board a USB serial port belongs to, from the USB vendor/product id the browser reports for it (Web
// Serial's SerialPort.getInfo(), Node serialport's vendorId/productId). A small table of the USB chips on the
// boards Mote supports; each line names the registry boards that carry that chip, so the Boards page can say
// which board is plugged in (or that it is unknown) without branching on a board.
// Sources of the ids:
//   303a:1001  Espressif USB-Serial-JTAG (ESP32-C3/C6/S3 built-in USB): ESP-IDF "USB Serial/JTAG Controller
//              Console" guide and github.com/espressif/usb-pids (allocated-pids.txt).
//   10c4:ea60  Silicon Labs CP210x bridge: Linux drivers/usb/serial/cp210x.c (id_table), Silicon Labs AN571.
//   1a86:7523  WCH CH340/CH341 bridge: Linux drivers/usb/serial/ch341.c (id_table).
//   1a86:55d4  WCH CH9102/CH343 bridge (newer ESP32 devkits): Linux drivers/usb/serial/ch341.c / cdc-acm.
//   2e8a:*     Raspberry Pi's vendor id: github.com/raspberrypi/usb-pid (0003 RP2040 boot ROM, 000a Pico SDK
//              stdio USB, 000c Debug Probe, 000f RP2350 boot ROM).
//   0483:374b  ST-LINK/V2-1 (Nucleo-64 boards), 0483:374e ST-LINK/V3: OpenOCD contrib/60-openocd.rules.
//   0d28:0204  Arm Mbed DAPLink CMSIS-DAP (micro:bit and other DAPLink boards): ARMmbed/DAPLink and the
//              same OpenOCD rules file.
import type { BoardKind } from './board';

export interface UsbIds {
  usbVendorId?: number;
  usbProductId?: number;
}

export interface UsbDevice {
  readonly vendorId: number;
  /** undefined: every product of the vendor. */
  readonly productId?: number;
  /** What the chip is, in words. */
  readonly chip: string;
  /** Registry kinds of the boards that carry it (a bridge chip may sit on several). */
  readonly boards: readonly string[];
  /** The computer driver the chip may need (Windows/macOS), named for the person. */
  readonly driver?: string;
}

export const usbDevices: readonly UsbDevice[] = [
  { vendorId: 0x303a, productId: 0x1001, chip: 'Espressif USB-Serial-JTAG (the ESP32-C3\'s own USB port)', boards: ['ESP32C3'] },
  { vendorId: 0x10c4, productId: 0xea60, chip: 'Silicon Labs CP210x USB-UART bridge', boards: ['ESP32C3'], driver: 'Silicon Labs CP210x VCP driver' },
  { vendorId: 0x1a86, productId: 0x7523, chip: 'WCH CH340 USB-UART bridge', boards: ['ESP32C3'], driver: 'WCH CH34x driver' },
  { vendorId: 0x1a86, productId: 0x55d4, chip: 'WCH CH9102/CH343 USB-UART bridge', boards: ['ESP32C3'], driver: 'WCH CH34x driver' },
  { vendorId: 0x2e8a, productId: 0x000c, chip: 'Raspberry Pi Debug Probe (UART to the Pico\'s GP0/GP1)', boards: ['RaspberryPiPico'] },
  { vendorId: 0x2e8a, chip: 'Raspberry Pi RP2040/RP2350 USB', boards: ['RaspberryPiPico'] },
  { vendorId: 0x0483, productId: 0x374b, chip: 'ST-LINK/V2-1 (a Nucleo board\'s debugger and serial port)', boards: ['NucleoL452REP'] },
  { vendorId: 0x0483, productId: 0x374e, chip: 'ST-LINK/V3 (a Nucleo board\'s debugger and serial port)', boards: ['NucleoL452REP'] },
  { vendorId: 0x0d28, productId: 0x0204, chip: 'Arm DAPLink (micro:bit and other DAPLink boards)', boards: ['MicrobitV2'] },
];

export interface UsbIdentification {
  /** "303a:1001", or null when the port reported no USB ids (a built-in or Bluetooth serial port). */
  readonly ids: string | null;
  /** The table line that matched, the exact product first. */
  readonly device: UsbDevice | null;
  /** The boards among `boards` that carry that chip. */
  readonly boards: BoardKind[];
  /** One sentence for the page. */
  readonly text: string;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** Identifies a port from its USB ids against `boards` (the registry's physical boards). */
export function identifyUsb(info: UsbIds, boards: readonly BoardKind[]): UsbIdentification {
  const { usbVendorId: vid, usbProductId: pid } = info;
  if (vid === undefined) {
    return { ids: null, device: null, boards: [], text: 'This port reports no USB vendor/product id (a built-in or Bluetooth serial port?), so Mote cannot tell which board it is: pick the board yourself.' };
  }
  const ids = `${hex4(vid)}:${pid === undefined ? '????' : hex4(pid)}`;
  const device = usbDevices.find((d) => d.vendorId === vid && d.productId === pid) ?? usbDevices.find((d) => d.vendorId === vid && d.productId === undefined) ?? null;
  if (!device) return { ids, device: null, boards: [], text: `Unknown USB device ${ids}: it is none of the USB chips of the boards Mote knows. Pick the board yourself if you know it.` };
  const matched = boards.filter((b) => device.boards.includes(b.kind));
  if (matched.length === 0) return { ids, device, boards: [], text: `${device.chip} (${ids}): Mote has no board with this chip yet.` };
  const names = matched.map((b) => b.title).join(' or ');
  const bridge = device.driver ? ` This bridge also sits on other boards; if yours is not ${names}, pick it yourself.` : '';
  return { ids, device, boards: matched, text: `${names}: ${device.chip} (${ids}).${bridge}` };
}
