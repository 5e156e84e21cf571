// Installing the Mote Runtime on a micro:bit v2 from the browser code path: src/devices/microbit-flasher.ts
// drives @microbit/microbit-connection's real createUSBConnection → connect → flash (full flash through
// DAPLink's vendor commands) against a simulated DAPLink WebUSB device (microbit-daplink.ts) installed as
// navigator.usb. The device records the flashed stream: it must be the prebuilt .hex byte for byte, and the
// flash it programs must hold the runtime ELF's load bytes. Failures: unplugged mid-flash (a clear error,
// nothing recorded as installed), a micro:bit v1 (refused before anything is written), no device chosen.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runFlash } from '../../src/cli/flash';
import { reachRuntime } from '../../src/core/deploy/environment';
import { nodeBoardEnvironment } from '../../src/core/deploy/environment.node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CancelledError } from '../../src/core/base/errors';
import { idleInstall, installRecord, installStep, type InstallState } from '../../src/core/deploy/install-state';
import { boardOf } from '../../src/core/deploy/registry';
import { elfLoadSegments } from '../../src/core/deploy/runtime-packaging';
import { DisconnectedError, NoPortError } from '../../src/devices/esp32c3-flasher';
import { flashMicrobit, WrongMicrobitError } from '../../src/devices/microbit-flasher';
import { SimulatedMicrobit, SimulatedWebUsb } from './microbit-daplink';

const PREBUILT = resolve(__dirname, '../../runtime/prebuilt');
const board = boardOf('MicrobitV2');
const hex = new Uint8Array(readFileSync(join(PREBUILT, board.runtime!.image)));
const elf = new Uint8Array(readFileSync(join(PREBUILT, 'mote-runtime-microbit-v2.elf')));

function plugIn(device: SimulatedMicrobit, choose?: ConstructorParameters<typeof SimulatedWebUsb>[1], disconnectEvent?: 'at-once' | 'later'): SimulatedWebUsb {
  const usb = new SimulatedWebUsb([device], choose, disconnectEvent);
  vi.stubGlobal('navigator', { usb });
  return usb;
}

/** The install steps as the Boards page drives them (install-state.ts), around one flash. */
async function install(device: SimulatedMicrobit, choose?: ConstructorParameters<typeof SimulatedWebUsb>[1], disconnectEvent?: 'at-once' | 'later'): Promise<{ state: InstallState; progress: number[]; error?: Error }> {
  plugIn(device, choose, disconnectEvent);
  let state = installStep(idleInstall, { type: 'start', activity: 'choose the micro:bit in the browser\'s dialog…' });
  const progress: number[] = [];
  try {
    await flashMicrobit(hex, { onProgress: (p) => { progress.push(p.written); state = installStep(state, { type: 'progress', ...p }); } });
    state = installStep(state, { type: 'verifying', activity: 'DAPLink closed the stream; recording it…' });
    state = installStep(state, { type: 'verified', record: installRecord(board.kind, board.install!, { name: board.runtime!.image, bytes: hex }, '0d28:0204') });
    return { state, progress };
  } catch (error) {
    state = installStep(state, { type: 'failed', message: (error as Error).message });
    return { state, progress, error: error as Error };
  }
}

describe('micro:bit v2: the Mote Runtime flashed through @microbit/microbit-connection (WebUSB, DAPLink)', () => {
  beforeEach(() => vi.useRealTimers());
  afterEach(() => vi.unstubAllGlobals());

  it('streams the prebuilt .hex to DAPLink byte for byte (OPEN as hex, WRITE, CLOSE, RESET); the flash then holds the ELF\'s load bytes', async () => {
    const device = new SimulatedMicrobit({ boardId: '9904' });
    const { state, progress, error } = await install(device);
    expect(error).toBeUndefined();
    expect(state.phase).toBe('installed');
    expect(device.streamType).toBe(1); // Intel HEX
    expect(device.programmed).toEqual(hex);
    for (const s of elfLoadSegments(elf).segments) expect(device.flash.subarray(s.address, s.address + s.data.length)).toEqual(s.data);
    expect(device.flash[elfLoadSegments(elf).segments.at(-1)!.address + elfLoadSegments(elf).segments.at(-1)!.data.length]).toBe(0xff);
    // The library's sequence: board id (0x80), SWD reads of FICR/DHCSR, then DAPLink's flash commands in order.
    const ids = device.commands;
    expect(ids.indexOf(0x80)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(0x80)).toBeLessThan(ids.indexOf(0x8a));
    expect(ids.indexOf(0x8a)).toBeLessThan(ids.indexOf(0x8c));
    expect(ids.lastIndexOf(0x8c)).toBeLessThan(ids.indexOf(0x8b));
    expect(ids.indexOf(0x8b)).toBeLessThan(ids.indexOf(0x89));
    expect(device.flashWrites).toBe(Math.ceil(hex.length / 62));
    // Progress: rising, in bytes of the stream, ending with the whole image.
    expect(progress.length).toBeGreaterThan(10);
    expect(progress.every((v, i) => i === 0 || v >= progress[i - 1])).toBe(true);
    expect(progress.at(-1)).toBe(hex.length);
    if (state.phase === 'installed') expect(state.record).toMatchObject({ board: 'MicrobitV2', method: 'daplink-webusb', verifiedBy: 'daplink-stream', bytes: hex.length, usb: '0d28:0204' });
  }, 60_000);

  for (const disconnectEvent of ['at-once', 'later'] as const) it(`unplugged mid-flash (browser's disconnect event ${disconnectEvent === 'at-once' ? 'with' : 'after'} the failed transfer): a plain error that says to plug it back in, nothing recorded as installed`, async () => {
    const device = new SimulatedMicrobit({ unplugAfterWrites: 200 });
    const { state, error } = await install(device, undefined, disconnectEvent);
    expect(error, `${error?.name}: ${error?.message}`).toBeInstanceOf(DisconnectedError);
    expect(error!.message).toMatch(/micro:bit was unplugged .* plug it back in and install again; the board was not recorded as installed/);
    expect(state.phase).toBe('failed');
    expect(device.programmed).toBeUndefined();
    expect(device.flashWrites).toBe(200);
  }, 60_000);

  for (const boardId of ['9900', '9901']) {
    it(`a micro:bit v1 (board id ${boardId}) is refused in plain words before anything is written`, async () => {
      const device = new SimulatedMicrobit({ boardId });
      const { state, error } = await install(device);
      expect(error).toBeInstanceOf(WrongMicrobitError);
      expect(error!.message).toBe(`this is a micro:bit v1 (nRF51822, Cortex-M0): the Mote Runtime is built for the micro:bit v2 (nRF52833, the one with a microphone and a touch logo); nothing was written. Use a micro:bit v2 (its interface chip reports board id ${boardId})`);
      expect(state.phase).toBe('failed');
      expect(device.commands).not.toContain(0x8a);
      expect(device.programmed).toBeUndefined();
    }, 60_000);
  }

  it('no device chosen in the browser\'s dialog: says how to plug it in and what to pick', async () => {
    const device = new SimulatedMicrobit();
    const { state, error } = await install(device, () => undefined);
    expect(error).toBeInstanceOf(NoPortError);
    expect(error!.message).toMatch(/^no micro:bit was chosen: plug it in with a data cable .* pick "BBC micro:bit CMSIS-DAP"/);
    expect(state.phase).toBe('failed');
    expect(device.commands).toEqual([]);
  });

  it('cancelled from the page while writing: DAPLink\'s stream is closed, the error is a cancel, nothing recorded', async () => {
    const device = new SimulatedMicrobit();
    const controller = new AbortController();
    plugIn(device);
    const pending = flashMicrobit(hex, { signal: controller.signal, onProgress: (p) => { if (p.written > hex.length / 3) controller.abort(); } });
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
    expect(device.programmed).toBeUndefined();
    expect(device.streamOpen).toBe(false);
  }, 60_000);

  it('a damaged .hex is refused before the board is touched', async () => {
    const device = new SimulatedMicrobit();
    const usb = plugIn(device);
    const lines = new TextDecoder().decode(hex).split('\n');
    lines[1] = `${lines[1].slice(0, 20)}${lines[1][20] === '0' ? '1' : '0'}${lines[1].slice(21)}`; // one data digit changed, checksum kept
    const damaged = lines.join('\n');
    await expect(flashMicrobit(damaged)).rejects.toThrow(/checksum/i);
    expect(usb.requests).toBe(0);
  });
});

describe('micro:bit v2 from the CLI', () => {
  it('mote flash MicrobitV2 --drive copies the runtime .hex onto the MICROBIT drive (DETAILS.TXT marks a DAPLink drive)', async () => {
    const drive = await mkdtemp(join(tmpdir(), 'mote-microbit-drive-'));
    try {
      await expect(runFlash(['MicrobitV2', `--drive=${drive}`], () => undefined)).rejects.toThrow(/no DETAILS.TXT.*MICROBIT/);
      await writeFile(join(drive, 'DETAILS.TXT'), '# DAPLink Firmware - see https://daplink.io\nUnique ID: 9904360250974e450038001a00000049000000009796990b\n');
      const lines: string[] = [];
      await runFlash(['MicrobitV2', `--drive=${drive}`], (line) => lines.push(line));
      expect(await readFile(join(drive, 'mote-runtime-microbit-v2.hex'))).toEqual(Buffer.from(hex));
      expect(lines[0]).toMatch(/installing the Mote Runtime for BBC micro:bit v2/);
    } finally {
      await rm(drive, { recursive: true, force: true });
    }
  });

  it('deploy_and_evaluate on MicrobitV2 takes the serial runtime executor: DAPLink\'s port at 115200 (no board here to run it)', () => {
    const reached = reachRuntime(board, nodeBoardEnvironment());
    expect(reached.ok && reached.executor.kind).toBe('serial');
    const evaluator = board.evaluatorParams.parse({ dev: '/dev/ttyACM0' }, 'deploy.evaluator.params', []);
    expect(board.serial!(evaluator)).toEqual({ dev: '/dev/ttyACM0', baudrate: 115200 });
    expect(board.reports.clockHz({} as never)).toBe(64e6);
  });
});
