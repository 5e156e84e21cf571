// The Boards page's Pico flow with the 1200-baud touch: the app's own code (Installs.touch, src/devices/
// drive-touch.ts) over a Web Serial stand-in whose port is the virtual Pico's USB in Node (the runtime UF2 in
// rp2040js with a table-only bootrom, tests/boards/rp2040-table-bootrom.ts): open becomes what a computer's
// CDC-ACM driver sends (DTR/RTS raised, SET_LINE_CODING), setSignals and close SET_CONTROL_LINE_STATE, and the
// port fires 'disconnect' once the core has stopped in the bootrom's reset_usb_boot. Then the drive copy (the
// RPI-RP2 stand-in: a folder holding INFO_UF2.TXT) from the Install button. A Pico whose firmware ignores the
// touch (no bootrom to go to) keeps its port, and the card says so with the BOOTSEL steps.
// Not shown: a real bootrom's RPI-RP2 drive appearing (needs a Pico).
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { goTo, openApp, pageErrors } from './app-helpers';
import { prebuiltRuntimeImage } from '../src/core/deploy/environment.node';
import { readUf2 } from '../src/core/deploy/formats/uf2';
import { boardOf } from '../src/core/deploy/registry';
import { startVirtualPico, type VirtualPico } from '../src/core/deploy/targets/rp2040/rp2040js-board';
import { RESET_USB_BOOT_BKPT, tableBootrom } from '../tests/boards/rp2040-table-bootrom';

const pico = boardOf('RaspberryPiPico');
let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;
let uf2: Uint8Array;
let board: VirtualPico;
const card = () => page.getByTestId('board-RaspberryPiPico');
/** The page's ports waiting for their device to leave the bus (a core stopped on a BKPT, not a board unplugged by the test). */
let goneWaiters: (() => void)[] = [];

async function plugIn(bootrom: boolean): Promise<void> {
  await board?.stop();
  board = startVirtualPico(readUf2(uf2).image, { link: 'usb', bootrom: bootrom ? tableBootrom() : undefined });
  const current = board;
  void current.exited.then(() => { if (current.stoppedAt() !== undefined) { for (const gone of goneWaiters) gone(); goneWaiters = []; } });
  await board.usb!.configured;
  await board.usb!.setControlLines(false, false);
}

/** A request to the virtual Pico's USB, failing as Web Serial does once the device has left the bus. */
async function device(request: () => Promise<void>): Promise<string | null> {
  const current = board;
  if (current.stoppedAt() !== undefined) return 'The device has been lost.';
  return Promise.race([request().then(() => null), current.exited.then(() => 'The device has been lost.')]);
}

beforeAll(async () => {
  uf2 = await prebuiltRuntimeImage(pico.runtime!.image);
  browser = await launchBrowser();
  await browser.context.exposeFunction('__picoOpen', (baudRate: number) => device(async () => { await board.usb!.setControlLines(true, true); await board.usb!.setLineCoding(baudRate); }));
  await browser.context.exposeFunction('__picoSignals', (dtr: boolean, rts: boolean) => device(() => board.usb!.setControlLines(dtr, rts)));
  await browser.context.exposeFunction('__picoClose', () => device(() => board.usb!.setControlLines(false, false)));
  await browser.context.exposeFunction('__picoGone', () => new Promise<boolean>((resolve) => goneWaiters.push(() => resolve(true))));
  await browser.context.addInitScript(() => {
    type Binding = (...args: unknown[]) => Promise<string | null>;
    const call = (name: string, ...args: unknown[]) => (window as unknown as Record<string, Binding>)[name](...args);
    const fail = (message: string | null) => { if (message) throw new DOMException(message, 'NetworkError'); };
    class VirtualPicoPort extends EventTarget {
      readable: ReadableStream<Uint8Array> | null = null;
      writable: WritableStream<Uint8Array> | null = null;
      private dtr = false;
      private rts = false;
      constructor() {
        super();
        const watch = (): void => { void call('__picoGone').then(() => { this.dispatchEvent(new Event('disconnect')); watch(); }); };
        watch();
      }
      async open(options: { baudRate: number }) { fail(await call('__picoOpen', options.baudRate)); this.dtr = true; this.rts = true; }
      async setSignals(s: { dataTerminalReady?: boolean; requestToSend?: boolean }) {
        this.dtr = s.dataTerminalReady ?? this.dtr; this.rts = s.requestToSend ?? this.rts;
        fail(await call('__picoSignals', this.dtr, this.rts));
      }
      async close() { fail(await call('__picoClose')); }
      getInfo() { return { usbVendorId: 0x2e8a, usbProductId: 0x000a }; }
    }
    const serial = { async requestPort() { return new VirtualPicoPort(); }, async getPorts() { return []; }, addEventListener() {}, removeEventListener() {} };
    Object.defineProperty(navigator, 'serial', { value: serial, configurable: true });
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle('RPI-RP2', { create: true });
  });
  page = await openApp(browser.context, inject('appUrl'));
  await goTo(page, 'Boards');
  await card().waitFor();
});

afterAll(async () => { await board?.stop(); await browser?.close(); });

/** The RPI-RP2 stand-in's files (creating the folder and `files` first). */
async function driveFiles(files: Record<string, string> = {}): Promise<Record<string, number[]>> {
  return page.evaluate(async (files) => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('RPI-RP2', { create: true });
    for (const [file, text] of Object.entries(files)) { const w = await (await dir.getFileHandle(file, { create: true })).createWritable(); await w.write(text); await w.close(); }
    const out: Record<string, number[]> = {};
    for await (const [file, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemFileHandle]> }).entries()) out[file] = Array.from(new Uint8Array(await (await handle.getFile()).arrayBuffer()));
    return out;
  }, files);
}

test('a Pico whose firmware ignores the touch keeps its port: the card says so and gives the BOOTSEL steps', async () => {
  await plugIn(false);
  await card().getByRole('button', { name: 'Connect' }).click();
  await card().getByTestId('board-RaspberryPiPico-identified').filter({ hasText: 'This is the Raspberry Pi Pico' }).waitFor();
  await card().getByRole('button', { name: 'Restart into its drive' }).click();
  const status = card().getByTestId('board-RaspberryPiPico-touch-status');
  await status.and(page.locator('[data-phase="stayed"]')).waitFor();
  expect(await status.textContent()).toContain('The board kept its serial port, so it did not restart');
  expect(await status.textContent()).toContain('If no drive appears: hold the BOOTSEL button while plugging the Pico in');
  expect(board.stoppedAt()).toBeUndefined();
});

test('Restart into its drive reaches the bootrom\'s reset_usb_boot, the card sees the port go, and Install copies the UF2 onto the drive', async () => {
  await plugIn(true);
  expect(await driveFiles()).toEqual({});
  await card().getByRole('button', { name: 'Restart into its drive' }).click(); // the port chosen at Connect
  const status = card().getByTestId('board-RaspberryPiPico-touch-status');
  await status.and(page.locator('[data-phase="gone"]')).waitFor();
  expect(await status.textContent()).toContain('The board left its serial port: it is restarting as its drive. Now Install Mote Runtime');
  expect(await board.exited).toBe(0); // reset_usb_boot(0, 0)
  expect(board.stoppedAt()).toBe(RESET_USB_BOOT_BKPT);
  // The bootrom's drive appears (the stand-in folder gains INFO_UF2.TXT); Install, from its own click.
  await driveFiles({ 'INFO_UF2.TXT': 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n' });
  await card().getByRole('button', { name: 'Install Mote Runtime' }).click();
  await card().getByTestId('board-RaspberryPiPico-install-done').waitFor();
  expect(Uint8Array.from((await driveFiles())[pico.runtime!.image])).toEqual(uf2);
  expect(pageErrors(page)).toEqual([]);
});
