// Connect on the Boards page: which registry board a serial port is, from the USB ids Web Serial reports.
import { describe, expect, it } from 'vitest';
import { allBoards, boardOf } from '../../src/core/deploy/registry';
import { identifyUsb, usbDevices } from '../../src/core/deploy/usb-ids';
import { isPhysical } from '../../src/core/deploy/install-state';

const physical = allBoards().filter(isPhysical);

describe('USB vendor/product identification', () => {
  it('every board the table names is in the registry', () => {
    for (const device of usbDevices) for (const kind of device.boards) expect(() => boardOf(kind)).not.toThrow();
  });

  it('the physical boards are the ESP32-C3, the micro:bit v2, the Pico and the Nucleo (no virtual board gets a card)', () => {
    expect(physical.map((b) => b.kind).sort()).toEqual(['ESP32C3', 'MicrobitV2', 'NucleoL452REP', 'RaspberryPiPico']);
  });

  it('an ESP32-C3 on its own USB-Serial-JTAG port (303a:1001)', () => {
    const id = identifyUsb({ usbVendorId: 0x303a, usbProductId: 0x1001 }, physical);
    expect(id.ids).toBe('303a:1001');
    expect(id.boards.map((b) => b.kind)).toEqual(['ESP32C3']);
    expect(id.text).toMatch(/^ESP32-C3 devkit: Espressif USB-Serial-JTAG/);
  });

  it('CP210x (10c4:ea60) and CH340 (1a86:7523) bridges: an ESP32-C3 devkit, with a note that the bridge is generic', () => {
    for (const [vid, pid, chip] of [[0x10c4, 0xea60, 'CP210x'], [0x1a86, 0x7523, 'CH340']] as const) {
      const id = identifyUsb({ usbVendorId: vid, usbProductId: pid }, physical);
      expect(id.boards.map((b) => b.kind)).toEqual(['ESP32C3']);
      expect(id.device?.driver).toBeTruthy();
      expect(id.text).toContain(chip);
      expect(id.text).toMatch(/other boards/);
    }
  });

  it('any Raspberry Pi product id (2e8a:*) is the Pico; the Debug Probe is named as such', () => {
    expect(identifyUsb({ usbVendorId: 0x2e8a, usbProductId: 0x0003 }, physical).boards.map((b) => b.kind)).toEqual(['RaspberryPiPico']);
    expect(identifyUsb({ usbVendorId: 0x2e8a, usbProductId: 0x000a }, physical).device?.chip).toMatch(/RP2040/);
    expect(identifyUsb({ usbVendorId: 0x2e8a, usbProductId: 0x000c }, physical).device?.chip).toMatch(/Debug Probe/);
  });

  it('ST-LINK/V2-1 (0483:374b) and V3 (0483:374e) are the Nucleo; another ST product is unknown', () => {
    expect(identifyUsb({ usbVendorId: 0x0483, usbProductId: 0x374b }, physical).boards.map((b) => b.kind)).toEqual(['NucleoL452REP']);
    expect(identifyUsb({ usbVendorId: 0x0483, usbProductId: 0x374e }, physical).boards.map((b) => b.kind)).toEqual(['NucleoL452REP']);
    const other = identifyUsb({ usbVendorId: 0x0483, usbProductId: 0x5740 }, physical);
    expect(other.device).toBeNull();
    expect(other.text).toBe('Unknown USB device 0483:5740: it is none of the USB chips of the boards Mote knows. Pick the board yourself if you know it.');
  });

  it('DAPLink (0d28:0204) is the micro:bit v2', () => {
    const id = identifyUsb({ usbVendorId: 0x0d28, usbProductId: 0x0204 }, physical);
    expect(id.device?.chip).toMatch(/DAPLink/);
    expect(id.boards.map((b) => b.kind)).toEqual(['MicrobitV2']);
    expect(id.text).toBe('BBC micro:bit v2: Arm DAPLink (micro:bit and other DAPLink boards) (0d28:0204).');
  });

  it('a port without USB ids cannot be identified and says so', () => {
    const id = identifyUsb({}, physical);
    expect(id.ids).toBeNull();
    expect(id.text).toMatch(/no USB vendor\/product id/);
  });
});
