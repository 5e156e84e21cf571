// The 1200-baud touch on the Pico's Mote Runtime (runtime/ports/rp2040/mote_rt_usb.c), in rp2040js through
// its USBCDC helper: SET_LINE_CODING 1200 then SET_CONTROL_LINE_STATE with DTR dropped (what opening a port
// at 1200 baud and closing it sends) makes the firmware look up reset_usb_boot in the bootrom's function table
// ('U','B' through rom_table_lookup, the halfword pointers at 0x14 and 0x18) and call it with (0, 0), after the
// request's status stage. rp2040js ships no bootrom, so a table-only stand-in is loaded (rp2040-table-bootrom.ts):
// verified here is the firmware's side up to the call into the ROM; not verified is the real bootrom's reset
// into the RPI-RP2 drive, which needs a Pico. "After the status stage": rp2040js sets an IN buffer's done bit
// when the firmware arms it (silicon: on the host's ACK), so what this shows is that the firmware had armed
// the request's zero-length status packet before the call — the virtual Pico delivers packets in flight when
// the core stops, and setControlLines resolves only on that packet.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFlash } from '../../src/cli/flash';
import type { CodegenModel } from '../../src/core/codegen/types';
import { readUf2 } from '../../src/core/deploy/formats/uf2';
import { boardOf } from '../../src/core/deploy/registry';
import { loadAndEvaluateOverLink } from '../../src/core/deploy/runtime-link';
import { startVirtualPico } from '../../src/core/deploy/targets/rp2040/rp2040js-board';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { touchIntoDrive, type TouchablePort } from '../../src/devices/drive-touch';
import { quantizeZooModel, randomData, zoo } from '../codegen/zoo';
import { requireTools } from '../firmware/helpers';
import { openPtyBridge } from './pty-bridge';
import { RESET_USB_BOOT_BKPT, tableBootrom } from './rp2040-table-bootrom';

const pico = boardOf('RaspberryPiPico');
const uf2Image = () => readUf2(new Uint8Array(readFileSync(join(resolve(__dirname, '../../runtime/prebuilt'), pico.runtime!.image)))).image;

/** The runtime still answers: a zoo CNN loads and evaluates bit-exact over USB. */
async function stillServing(board: ReturnType<typeof startVirtualPico>) {
  const graph = zoo.conv2d();
  const quantized = quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, 16, 3), 16);
  const model = { format: 'int8', quantized } as Extract<CodegenModel, { format: 'int8' }>;
  const { bytes: blob } = encodeModelBlob(quantized, { dialect: 'c99', name: 'conv2d' });
  const test = { x: randomData(graph.shapes.input, 2, 4), labels: Int32Array.from([0, 1]), count: 2 };
  const { row } = await loadAndEvaluateOverLink({ transport: board.transport, model, test, blob, frameTimeoutMs: 20_000 });
  expect(row).toMatchObject({ bit_exact: true, agreement: 1 });
}

/** Resolves with the exit code once the core stops, or 'running' if it has not within `ms` of wall time. */
const stopsWithin = (board: ReturnType<typeof startVirtualPico>, ms: number) =>
  Promise.race([board.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), ms))]);

/**
 * What a computer's CDC-ACM driver makes of a serial port's calls, onto the virtual Pico's USB (Linux's
 * cdc-acm order: DTR and RTS raised as the tty opens, then the line coding; DTR dropped as it closes). A
 * device that has left the bus (the core stopped in the bootrom) fails every request and fires 'disconnect'
 * (Web Serial's event). `signals`: whether setSignals reaches the device (Web Serial) or does nothing (the
 * CLI's Node port, which has only the close to drop DTR).
 */
function cdcDriverPort(board: ReturnType<typeof startVirtualPico>, options: { signals: boolean; events: boolean }): TouchablePort & { requests: string[] } {
  const listeners = new Set<() => void>();
  let left = false;
  void board.exited.then(() => { left = true; for (const listener of listeners) listener(); });
  const requests: string[] = [];
  const device = (what: string, request: () => Promise<void>) => {
    requests.push(what);
    if (left) return Promise.reject(new Error('The device has been lost.'));
    return Promise.race([request(), board.exited.then(() => { throw new Error('The device has been lost.'); })]);
  };
  let rts = false;
  return {
    requests,
    async open({ baudRate }) {
      await device('DTR+RTS', () => board.usb!.setControlLines(true, true));
      rts = true;
      await device(`line coding ${baudRate}`, () => board.usb!.setLineCoding(baudRate));
    },
    async close() { await device('DTR-RTS-', () => board.usb!.setControlLines(false, false)); },
    ...(options.signals ? {
      async setSignals({ dataTerminalReady, requestToSend }: { dataTerminalReady?: boolean; requestToSend?: boolean }) {
        rts = requestToSend ?? rts;
        await device(`DTR${dataTerminalReady ? '+' : '-'}RTS${rts ? '+' : '-'}`, () => board.usb!.setControlLines(dataTerminalReady ?? true, rts));
      },
    } : {}),
    ...(options.events ? {
      addEventListener: (_type: 'disconnect', listener: () => void) => { listeners.add(listener); },
      removeEventListener: (_type: 'disconnect', listener: () => void) => { listeners.delete(listener); },
    } : {}),
  };
}

describe('Pico Mote Runtime: the 1200-baud touch into the bootrom\'s reset_usb_boot (rp2040js)', () => {
  it('line coding 1200 then DTR dropped: the firmware calls the function table\'s \'UB\' entry with (0, 0) after the status stage', async () => {
    const board = startVirtualPico(uf2Image(), { link: 'usb', bootrom: tableBootrom() });
    try {
      await board.usb!.configured;
      await board.usb!.setLineCoding(1200); // a port opened at 1200 baud …
      await board.usb!.setControlLines(true, true);
      expect(await stopsWithin(board, 300)).toBe('running'); // 1200 with DTR up is not yet the touch
      await board.usb!.setControlLines(false, false); // … and closed: resolves after its status stage
      expect(await stopsWithin(board, 10_000)).toBe(0); // r0 | r1 at the stub: both arguments 0
      expect(board.stoppedAt()).toBe(RESET_USB_BOOT_BKPT);
      expect(board.diagnostics()).toEqual([]);
    } finally {
      await board.stop();
    }
  }, 60_000);

  it('DTR dropped at 115200 (any ordinary close) keeps the runtime serving, bootrom present', async () => {
    const board = startVirtualPico(uf2Image(), { link: 'usb', bootrom: tableBootrom() });
    try {
      await board.usb!.configured;
      await board.usb!.setLineCoding(115200);
      await board.usb!.setControlLines(false, false);
      await board.usb!.setControlLines(true, true);
      await stillServing(board);
      expect(board.stoppedAt()).toBeUndefined();
    } finally {
      await board.stop();
    }
  }, 60_000);

  it('without the bootrom\'s magic (\'M\',\'u\',0x01 at 0x10), or with no \'UB\' entry, the touch is ignored and the runtime keeps serving', async () => {
    for (const bootrom of [undefined, tableBootrom({ magic: false }), tableBootrom({ withResetUsbBoot: false })]) {
      const board = startVirtualPico(uf2Image(), { link: 'usb', bootrom });
      try {
        await board.usb!.configured;
        await board.usb!.setLineCoding(1200);
        await board.usb!.setControlLines(true, true);
        await board.usb!.setControlLines(false, false);
        expect(await stopsWithin(board, 300)).toBe('running');
        await board.usb!.setLineCoding(115200);
        await board.usb!.setControlLines(true, true);
        await stillServing(board);
        expect(board.stoppedAt()).toBeUndefined();
      } finally {
        await board.stop();
      }
    }
  }, 120_000);

  it('the host side (src/devices/drive-touch.ts) at the board file\'s touch baud: a Web Serial port (setSignals, \'disconnect\') reaches reset_usb_boot and sees the port go', async () => {
    expect(pico.install?.touchBaud).toBe(1200);
    const board = startVirtualPico(uf2Image(), { link: 'usb', bootrom: tableBootrom() });
    try {
      await board.usb!.configured;
      await board.usb!.setControlLines(false, false); // the enumerating host's own port closed first
      const port = cdcDriverPort(board, { signals: true, events: true });
      expect(await touchIntoDrive(port, { baudRate: pico.install!.touchBaud })).toEqual({ gone: true });
      expect(await board.exited).toBe(0);
      expect(board.stoppedAt()).toBe(RESET_USB_BOOT_BKPT);
      // the board left on setSignals' DTR drop; the close found no device and was not needed
      expect(port.requests).toEqual(['DTR+RTS', 'line coding 1200', 'DTR-RTS-', 'DTR-RTS-']);
    } finally {
      await board.stop();
    }
  }, 60_000);

  it('the host side through a port that cannot set signals (the CLI\'s Node port): the close drops DTR, and the touch cannot tell it worked', async () => {
    const board = startVirtualPico(uf2Image(), { link: 'usb', bootrom: tableBootrom() });
    try {
      await board.usb!.configured;
      const port = cdcDriverPort(board, { signals: false, events: false });
      expect(await touchIntoDrive(port, { baudRate: 1200 })).toEqual({ gone: null });
      expect(await stopsWithin(board, 10_000)).toBe(0);
      expect(board.stoppedAt()).toBe(RESET_USB_BOOT_BKPT);
      expect(port.requests).toEqual(['DTR+RTS', 'line coding 1200', 'DTR-RTS-']);
    } finally {
      await board.stop();
    }
  }, 60_000);

  it('the host side on a board that ignores the touch (no bootrom to go to) says the port stayed, and the runtime keeps serving', async () => {
    const board = startVirtualPico(uf2Image(), { link: 'usb' });
    try {
      await board.usb!.configured;
      const port = cdcDriverPort(board, { signals: true, events: true });
      expect(await touchIntoDrive(port, { baudRate: 1200, goneWithinMs: 500 })).toEqual({ gone: false });
      await board.usb!.setLineCoding(115200);
      await board.usb!.setControlLines(true, true);
      await stillServing(board);
    } finally {
      await board.stop();
    }
  }, 60_000);

  it('a port that will not open is refused in words', async () => {
    const port: TouchablePort = { open: () => Promise.reject(new Error('Failed to open serial port.')), close: () => Promise.resolve() };
    await expect(touchIntoDrive(port)).rejects.toThrow(/could not open the board's serial port at 1200 baud \(Failed to open serial port\): close other programs/);
  });
});

// `mote flash RaspberryPiPico --drive=DIR --port=DEVICE`: the touch through the CLI's Node port on a real
// pseudo-terminal (stty sets its baud rate; nothing is behind it electrically, so what is checked is the
// CLI's side: 1200 baud set on the device, then waiting for the drive and copying). What a Linux cdc-acm tty
// makes of it (DTR dropped on the last close, HUPCL) is the kernel's, shown on a Pico only; the firmware's
// answer to that request order is the 'port that cannot set signals' test above.
const dirs: string[] = [];
const tempDir = async () => { const d = await mkdtemp(join(tmpdir(), 'mote-touch-')); dirs.push(d); return d; };
afterAll(async () => { await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))); });
const INFO_UF2 = 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n';
const speedOf = (path: string) => spawnSync('stty', ['-F', path, 'speed'], { encoding: 'utf8' }).stdout.trim();

describe.runIf(requireTools('python3', 'stty'))('mote flash RaspberryPiPico --port: the touch, then the drive copy', () => {
  it('sets 1200 baud on the port, waits for the drive to appear and copies the prebuilt runtime onto it', async () => {
    const drive = await tempDir();
    const bridge = await openPtyBridge(() => undefined);
    try {
      expect(speedOf(bridge.path)).not.toBe('1200');
      const lines: string[] = [];
      let markerWritten: Promise<void> | undefined;
      const log = (line: string) => {
        lines.push(line);
        // The board's drive mounts a moment after the touch.
        if (line.startsWith('restarting')) markerWritten = new Promise((r) => setTimeout(r, 400)).then(() => writeFile(join(drive, 'INFO_UF2.TXT'), INFO_UF2));
      };
      await runFlash(['RaspberryPiPico', `--drive=${drive}`, `--port=${bridge.path}`], log, { driveWithinMs: 10_000 });
      await markerWritten;
      expect(speedOf(bridge.path)).toBe('1200');
      expect(lines[1]).toBe(`restarting the board into its drive: opening ${bridge.path} at 1200 baud and closing it (the 1200-baud touch)`);
      expect(lines.some((l) => /^the drive appeared after \d+\.\d s$/.test(l))).toBe(true);
      expect(await readFile(join(drive, pico.runtime!.image))).toEqual(readFileSync(join(resolve(__dirname, '../../runtime/prebuilt'), pico.runtime!.image)));
    } finally {
      await bridge.close();
    }
  }, 60_000);

  it('no touch when the drive is already there; no device, or no drive after the touch, says so with the BOOTSEL steps; a board without a touch refuses --port', async () => {
    const drive = await tempDir();
    const bridge = await openPtyBridge(() => undefined);
    try {
      await expect(runFlash(['RaspberryPiPico', `--drive=${drive}`, '--port=/dev/mote-no-such-port'], () => undefined)).rejects.toThrow(/there is no serial device \/dev\/mote-no-such-port: .*hold the BOOTSEL button while plugging the Pico in/);
      await expect(runFlash(['RaspberryPiPico', `--drive=${drive}`, `--port=${bridge.path}`], () => undefined, { driveWithinMs: 1000 }))
        .rejects.toThrow(/did not appear as Raspberry Pi Pico \(RP2040\)'s drive within 1 s of the touch .*hold the BOOTSEL button/);
      spawnSync('stty', ['-F', bridge.path, '9600']);
      await writeFile(join(drive, 'INFO_UF2.TXT'), INFO_UF2);
      const lines: string[] = [];
      await runFlash(['RaspberryPiPico', `--drive=${drive}`, `--port=${bridge.path}`], (line) => lines.push(line));
      expect(lines[1]).toBe(`the drive is already at ${drive}; no touch needed`);
      expect(speedOf(bridge.path)).toBe('9600');
      await expect(runFlash(['NucleoL452REP', `--drive=${drive}`, `--port=${bridge.path}`], () => undefined)).rejects.toThrow(/NucleoL452REP has no serial touch into its drive; drop --port/);
    } finally {
      await bridge.close();
    }
  }, 60_000);
});

