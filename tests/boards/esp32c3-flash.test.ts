// esptool-js flashing Mote's ESP32-C3 image into the simulated ROM loader through a Web Serial stand-in
// (the browser code path: src/devices/esp32c3-flasher.ts), and each failure mode the app must explain.
import { describe, expect, it } from 'vitest';
import { readEspImage } from '../../src/core/deploy/formats/esp-image';
import { ESP32C3_IMAGE_FILE, packageEsp32c3Image } from '../../src/core/deploy/targets/esp32c3/package-image';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import {
  DisconnectedError, explainNoPort, flashEsp32c3, NeedsBootButtonError, NoPortError, PortBusyError, VerifyFailedError, WrongChipError, type FlashProgress,
} from '../../src/devices/esp32c3-flasher';
import { readModelDir, requireTools } from '../firmware/helpers';
import { SimulatedEsp32c3, type RomLoaderOptions } from './esp32c3-rom-loader';
import { WebSerialStandIn, type StandInOptions } from './web-serial-stand-in';

const enabled = requireTools('riscv64-unknown-elf-gcc');
let imagePromise: Promise<Uint8Array> | undefined;
const runtimeImage = () => (imagePromise ??= createLocalToolchain().build({ board: 'esp32c3', modelFiles: readModelDir() }).then(packageEsp32c3Image).then((b) => b.files[ESP32C3_IMAGE_FILE]));

function board(chip: RomLoaderOptions = {}, port: StandInOptions = {}) {
  const sim = new SimulatedEsp32c3(chip);
  const serial = new WebSerialStandIn(sim, port);
  sim.powerOn();
  return { sim, serial };
}

describe.runIf(enabled)('ESP32-C3 image and flashing with esptool-js', () => {
  it('builds an ESP app image of SRAM segments that reads back as valid (checksum, SHA-256, chip id 5, entry in IRAM)', async () => {
    const image = await readEspImage(await runtimeImage());
    expect(image.chipId).toBe(5);
    expect(image.hashAppended).toBe(true);
    expect(image.entry).toBe(0x40380000);
    expect(image.segments.map((s) => s.address >>> 24)).toEqual(expect.arrayContaining([0x40, 0x3f]));
    const bytes = (await runtimeImage()).slice();
    bytes[40] ^= 0xff;
    await expect(readEspImage(bytes)).rejects.toThrow(/checksum byte/);
  });

  it('flashes through the Web Serial path with the classic DTR/RTS reset, verifies MD5, and the ROM boots the image', async () => {
    const image = await runtimeImage();
    const { sim, serial } = board();
    const progress: FlashProgress[] = [];
    const result = await flashEsp32c3(serial, image, { onProgress: (p) => progress.push(p) });
    expect(result.chip).toBe('ESP32-C3');
    expect(result.bytes).toBe(image.length);
    expect(sim.flash.subarray(0, image.length)).toEqual(image);
    expect(progress.at(-1)?.written).toBe(progress.at(-1)?.total);
    expect(sim.log).toContain('0x10'); // compressed write (FLASH_DEFL_BEGIN)
    expect(sim.log).toContain('0x13'); // SPI_FLASH_MD5
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.mode).toBe('app');
    expect(sim.bootRefusal).toBeUndefined();
    expect(sim.booted?.entry).toBe(0x40380000);
  }, 30_000);

  it('no port chosen: says to use a data cable and install the CP210x/CH340 driver', () => {
    const error = explainNoPort(new DOMException('No port selected by the user.', 'NotFoundError'));
    expect(error).toBeInstanceOf(NoPortError);
    expect(error.message).toMatch(/data cable.*CP210x.*CH340/);
  });

  it('port busy: says to close the other program', async () => {
    const { serial } = board({}, { busy: true });
    await expect(flashEsp32c3(serial, await runtimeImage(), { attempts: 1 })).rejects.toThrow(PortBusyError);
  });

  it('auto-reset not wired: asks for the BOOT button, and with BOOT held (no_reset) it flashes', async () => {
    const image = await runtimeImage();
    const { sim, serial } = board({ autoReset: false });
    const failure = flashEsp32c3(serial, image, { attempts: 1 });
    await expect(failure).rejects.toThrow(NeedsBootButtonError);
    await expect(failure).rejects.toThrow(/hold the BOOT button, press and release RESET/);
    sim.bootButton = true;
    sim.powerOn();
    sim.bootButton = false;
    const result = await flashEsp32c3(serial, image, { before: 'no_reset', attempts: 1 });
    expect(result.md5).toHaveLength(32);
  }, 60_000);

  it('wrong chip: names the chip it found', async () => {
    const { serial } = board({ chipId: 9 });
    await expect(flashEsp32c3(serial, await runtimeImage(), { attempts: 1 })).rejects.toThrow(new WrongChipError('this board is an ESP32-S3, not an ESP32-C3: choose the board that matches it (classic ESP32 and ESP32-S3 need the hosted toolchain\'s Xtensa compiler)'));
  });

  it('flash verify failed: refuses, says to retry, and nothing resolves as installed', async () => {
    const { serial } = board({ corruptWritesFrom: 100 });
    await expect(flashEsp32c3(serial, await runtimeImage(), { attempts: 1 })).rejects.toThrow(VerifyFailedError);
  }, 30_000);

  it('unplugged mid-flash: says to plug it back in and flash again; a second run succeeds', async () => {
    const image = await runtimeImage();
    const first = board({ unplugAfterBlocks: 0 }); // the whole compressed image is one block
    await expect(flashEsp32c3(first.serial, image, { attempts: 1 })).rejects.toThrow(DisconnectedError);
    expect(first.sim.flash.subarray(0, image.length)).not.toEqual(image);
    const again = board();
    await expect(flashEsp32c3(again.serial, image, { attempts: 1 })).resolves.toMatchObject({ bytes: image.length });
  }, 60_000);
});
