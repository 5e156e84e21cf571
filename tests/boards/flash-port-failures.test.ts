// `mote flash ESP32C3 --port=…` — the CLI's Node serial path (stty + file descriptors, src/cli/serial-port.node.ts)
// under esptool-js (src/devices/esp32c3-flasher.ts) — when the port is wrong or the board goes away: a port that
// is not there (its own words and the driver hint, not "hold BOOT"), a port where nothing answers (the BOOT steps
// and "check the port"), and the cable pulled mid-flash (plug it back in and flash again; nothing recorded as
// installed), after which a board on a new port flashes and verifies; and a port the user may not open (the
// dialout group), run as `nobody` where the tests run as root. The far end is the simulated ESP32-C3 ROM
// loader (tests/boards/esp32c3-rom-loader.ts) behind python3's pty module (tests/boards/pty-bridge.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlash } from '../../src/cli/flash';
import { DisconnectedError, NeedsBootButtonError, NoPortError } from '../../src/devices/esp32c3-flasher';
import { requireTools } from '../firmware/helpers';
import { SimulatedEsp32c3 } from './esp32c3-rom-loader';
import { moteAsNobody, otherUser } from './other-user';
import { openPtyBridge } from './pty-bridge';

const image = new Uint8Array(readFileSync(join(__dirname, '../../runtime/prebuilt/mote-runtime-esp32c3.bin')));

/** `mote flash ESP32C3 --port=<pty>` with the simulated ROM loader (BOOT held) behind it; `pullAfter` bytes from the host pull the cable. */
async function flashOverPty(options: { silent?: boolean; pullAfter?: number; quietAfter?: number } = {}, sim = new SimulatedEsp32c3()) {
  let written = 0;
  let pulled = false;
  const bridge = await openPtyBridge((bytes) => {
    written += bytes.length;
    if (options.pullAfter !== undefined && written >= options.pullAfter && !pulled) { pulled = true; void bridge.close(); return; }
    // quietAfter: the chip stops taking bytes (a brown-out, a reset into the app) while the port stays open.
    if (options.quietAfter !== undefined && written >= options.quietAfter) return;
    if (!options.silent) sim.receive(bytes);
  });
  sim.attach((bytes) => { if (!pulled) bridge.toPort(bytes); }, () => undefined);
  sim.bootButton = true;
  sim.powerOn();
  const lines: string[] = [];
  try {
    await runFlash(['ESP32C3', `--port=${bridge.path}`], (line) => lines.push(line));
    return { sim, lines, written };
  } finally {
    await bridge.close();
  }
}

describe.runIf(requireTools('python3', 'stty'))('mote flash ESP32C3 --port: wrong port, no board, unplugged', () => {
  it('no such port: no board answered on it, check the name, the CP210x/CH340 driver hint — not the BOOT steps', async () => {
    const failure = runFlash(['ESP32C3', '--port=/dev/mote-no-such-port'], () => undefined);
    await expect(failure).rejects.toBeInstanceOf(NoPortError);
    await expect(failure).rejects.toThrow(/^no board answered on the serial port \(serial device \/dev\/mote-no-such-port did not appear within 2\.0 s\): plug the board in with a data cable \(not a charge-only one\) and check the port's name; if it does not appear, a board with a CP210x or CH340 USB-UART chip needs that driver/);
    await expect(failure).rejects.not.toThrow(/BOOT/);
  }, 30_000);

  it('a port where nothing answers (the wrong port, or the chip not in download mode): the BOOT steps and check the port', async () => {
    const failure = flashOverPty({ silent: true });
    await expect(failure).rejects.toBeInstanceOf(NeedsBootButtonError);
    await expect(failure).rejects.toThrow(/^the ESP32-C3 did not answer its download mode: hold the BOOT button, press and release RESET \(EN\), release BOOT, then try again; if it still does not answer, check that this is the board's port/);
  }, 120_000);

  it('unplugged mid-flash: plug it back in and flash again, not marked installed; then a board on a new port flashes and verifies', async () => {
    const pulled = new SimulatedEsp32c3();
    const failure = flashOverPty({ pullAfter: Math.floor(image.length / 3) }, pulled);
    await expect(failure).rejects.toBeInstanceOf(DisconnectedError);
    await expect(failure).rejects.toThrow(/^the board stopped answering while writing \(unplugged or reset\?\): plug it back in and flash again — a partly written image is not marked as installed/);
    expect(pulled.flash.subarray(0, image.length)).not.toEqual(image);
    const again = await flashOverPty();
    expect(again.sim.flash.subarray(0, image.length)).toEqual(image);
    expect(again.lines.at(-1)).toMatch(new RegExp(`^flashed ${image.length} bytes to ESP32-C3 at 0x0, MD5 [0-9a-f]{32} verified`));
  }, 120_000);

  it('the chip goes quiet mid-flash with the port still open (a timeout): the same words, not marked installed', async () => {
    const quiet = new SimulatedEsp32c3();
    const failure = flashOverPty({ quietAfter: Math.floor(image.length / 3) }, quiet);
    await expect(failure).rejects.toBeInstanceOf(DisconnectedError);
    await expect(failure).rejects.toThrow(/^the board stopped answering while writing \(unplugged or reset\?\): plug it back in and flash again — a partly written image is not marked as installed/);
    expect(quiet.flash.subarray(0, image.length)).not.toEqual(image);
  }, 120_000);

  it.runIf(otherUser)('a port this user may not open (not in the dialout group): says so, with the usermod line', async () => {
    const bridge = await openPtyBridge(() => undefined);
    try {
      const r = await moteAsNobody(['flash', 'ESP32C3', `--port=${bridge.path}`], '/tmp');
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/mote: flash: the serial port may not be opened by this user \(could not configure \/dev\/pts\/\d+ at 115200 baud: stty: \/dev\/pts\/\d+: Permission denied\): on Linux add yourself to the dialout group \(sudo usermod -aG dialout \$USER, then log in again\)/);
    } finally {
      await bridge.close();
    }
  }, 60_000);
});
