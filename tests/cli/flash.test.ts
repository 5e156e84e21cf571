// `mote flash`: copying a UF2 onto a Pico's drive (a directory standing in for the mounted RPI-RP2 drive),
// and esptool-js flashing the simulated ESP32-C3 ROM loader through a real pseudo-terminal — the CLI's Node
// serial path (stty + file descriptors), with python3's pty module bridging the pty to the simulator.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/base/errors';
import { uf2Families, writeUf2 } from '../../src/core/deploy/formats/uf2';
import { ESP32C3_IMAGE_FILE, packageEsp32c3Image } from '../../src/core/deploy/targets/esp32c3/package-image';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { runFlash } from '../../src/cli/flash';
import { SimulatedEsp32c3 } from '../boards/esp32c3-rom-loader';
import { openPtyBridge } from '../boards/pty-bridge';
import { readModelDir, requireTools } from '../firmware/helpers';

const dirs: string[] = [];
const tempDir = async () => { const d = await mkdtemp(join(tmpdir(), 'mote-flash-')); dirs.push(d); return d; };
afterAll(async () => { await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))); });

describe('mote flash onto a board\'s drive', () => {
  it('copies a checked UF2 onto the RPI-RP2 drive, and refuses a directory that is not that drive', async () => {
    const work = await tempDir();
    const uf2 = writeUf2(Uint8Array.from({ length: 600 }, (_, i) => i & 0xff), { baseAddress: 0x10000000, familyId: uf2Families.rp2040 });
    await writeFile(join(work, 'firmware.uf2'), uf2);
    const drive = await tempDir();
    await expect(runFlash(['RaspberryPiPico', join(work, 'firmware.uf2'), `--drive=${drive}`], () => undefined)).rejects.toThrow(/no INFO_UF2.TXT.*hold the BOOTSEL button/);
    await writeFile(join(drive, 'INFO_UF2.TXT'), 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n');
    await runFlash(['RaspberryPiPico', join(work, 'firmware.uf2'), `--drive=${drive}`], () => undefined);
    expect(new Uint8Array(await readFile(join(drive, 'firmware.uf2')))).toEqual(uf2);
    await writeFile(join(work, 'broken.uf2'), uf2.subarray(0, 700));
    await expect(runFlash(['RaspberryPiPico', join(work, 'broken.uf2'), `--drive=${drive}`], () => undefined)).rejects.toThrow(/whole number of 512-byte blocks/);
  });

  it('without a file copies the Nucleo\'s prebuilt Mote Runtime .hex onto its drive under its own name (the drive programs by extension)', async () => {
    const drive = await tempDir();
    const lines: string[] = [];
    // Every ST-LINK/V2-1 drive holds DETAILS.TXT; without it the folder is not the Nucleo's drive.
    await expect(runFlash(['NucleoL452REP', `--drive=${drive}`], () => undefined)).rejects.toThrow(/no DETAILS.TXT.*ST-LINK USB port/);
    await writeFile(join(drive, 'DETAILS.TXT'), 'Version: 0221\nBuild:   Jan 11 2016 16:12:36\n');
    await runFlash(['NucleoL452REP', `--drive=${drive}`], (line) => lines.push(line));
    const hex = await readFile(join(__dirname, '../../runtime/prebuilt/mote-runtime-nucleo-l452rep.hex'));
    expect(await readFile(join(drive, 'mote-runtime-nucleo-l452rep.hex'))).toEqual(hex);
    expect(lines[0]).toMatch(/installing the Mote Runtime for ST Nucleo-L452RE-P/);
  });

  it('says a virtual board needs no flashing and names the missing option', async () => {
    await expect(runFlash(['VirtualPico', 'x.uf2', '--drive=/tmp'])).rejects.toThrow(/virtual board/);
    await expect(runFlash(['ESP32C3', __filename])).rejects.toThrow(ConfigError);
  });
});

/** Runs `mote flash` with --port on a pty bridged to a simulated ESP32-C3 ROM loader (BOOT held, as the CLI asks). */
async function flashOverPty(args: string[]): Promise<{ sim: SimulatedEsp32c3; lines: string[] }> {
  const sim = new SimulatedEsp32c3();
  const bridge = await openPtyBridge((bytes) => sim.receive(bytes));
  try {
    sim.attach((bytes) => bridge.toPort(bytes), () => undefined);
    sim.bootButton = true; // the person holds BOOT and presses RESET, as the CLI tells them
    sim.powerOn();
    const lines: string[] = [];
    await runFlash([...args, `--port=${bridge.path}`], (line) => lines.push(line));
    return { sim, lines };
  } finally {
    bridge.close();
  }
}

describe.runIf(requireTools('python3', 'stty'))('mote flash ESP32C3 --port: the prebuilt Mote Runtime', () => {
  it('without a file installs runtime/prebuilt/mote-runtime-esp32c3.bin with esptool-js, MD5 verified', async () => {
    const image = new Uint8Array(await readFile(join(__dirname, '../../runtime/prebuilt/mote-runtime-esp32c3.bin')));
    const { sim, lines } = await flashOverPty(['ESP32C3']);
    expect(sim.flash.subarray(0, image.length)).toEqual(image);
    expect(lines[0]).toMatch(/installing the Mote Runtime for ESP32-C3 devkit \(mote-runtime-esp32c3.bin, \d+ bytes\)/);
    expect(lines.at(-1)).toMatch(new RegExp(`^flashed ${image.length} bytes to ESP32-C3 at 0x0, MD5 [0-9a-f]{32} verified`));
    expect(lines.at(-1)).toMatch(/press RESET to start it/); // Node has no DTR/RTS: the person resets the board
  }, 60_000);
});

describe.runIf(requireTools('riscv64-unknown-elf-gcc', 'python3', 'stty'))('mote flash ESP32C3 over a serial device', () => {
  it('flashes the image with esptool-js through a pty (BOOT held: no DTR/RTS from Node) and verifies it', async () => {
    const work = await tempDir();
    const build = await packageEsp32c3Image(await createLocalToolchain().build({ board: 'esp32c3', modelFiles: readModelDir() }));
    const image = build.files[ESP32C3_IMAGE_FILE];
    await writeFile(join(work, ESP32C3_IMAGE_FILE), image);
    const { sim, lines } = await flashOverPty(['ESP32C3', join(work, ESP32C3_IMAGE_FILE)]);
    expect(sim.flash.subarray(0, image.length)).toEqual(image);
    expect(lines.at(-1)).toMatch(/^flashed \d+ bytes to ESP32-C3 at 0x0, MD5 [0-9a-f]{32} verified/);
    expect(lines.some((l) => /hold BOOT, press and release RESET/.test(l))).toBe(true);
  }, 60_000);
});
