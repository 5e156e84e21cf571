// `mote flash TARGET FILE (--port=DEVICE | --drive=DIRECTORY)`: installs a built image on a physical board
// the way its declaration says (BoardInstall in src/core/deploy/board.ts) — esptool's ROM loader over a
// serial port, or a copy onto the drive the board shows. Nothing here names a board.
import { copyFile, readFile, rename, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../core/base/errors';
import { readIntelHex } from '../core/deploy/formats/intel-hex';
import { readUf2 } from '../core/deploy/formats/uf2';
import { boardOf } from '../core/deploy/registry';
import { flashEsp32c3 } from '../devices/esp32c3-flasher';
import { nodeSerialPort } from './serial-port.node';

export const FLASH_USAGE = `Usage: mote flash TARGET [FILE] --port=DEVICE   (boards flashed over serial, e.g. ESP32C3)
       mote flash TARGET [FILE] --drive=DIR     (boards that show a USB drive, e.g. RaspberryPiPico)
       mote flash TARGET [FILE] --drive=DIR --port=DEVICE
                                                (a Pico running the Mote Runtime: the 1200-baud touch on its
                                                 USB serial port restarts it as its drive, then the copy)
FILE is the image deploy_and_evaluate wrote under out/deploy/<TARGET>/ (the board's install file); without
FILE the board's prebuilt Mote Runtime (runtime/prebuilt/) is installed, after which models load over serial.`;

/** How long `mote flash --drive --port` waits for the drive to appear after the touch (seconds). */
export const DRIVE_APPEARS_WITHIN_S = 20;

export async function runFlash(argv: string[], log: (line: string) => void = console.log, options: { driveWithinMs?: number } = {}): Promise<void> {
  const positional = argv.filter((a) => !a.startsWith('--'));
  const option = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const unknown = argv.filter((a) => a.startsWith('--') && !/^--(port|drive)=/.test(a));
  if (positional.length < 1 || positional.length > 2 || unknown.length) throw new ConfigError(`${unknown.length ? `unknown option ${unknown.join(', ')}; ` : ''}expected a target and optionally a file\n\n${FLASH_USAGE}`);
  const [target, given] = positional;
  const board = boardOf(target);
  const install = board.install;
  if (!install) throw new ConfigError(`${board.kind} is a virtual board: it needs no flashing (run deploy_and_evaluate)`);
  if (!given && !board.runtime) throw new ConfigError(`${board.kind} has no prebuilt Mote Runtime image; pass the file deploy_and_evaluate wrote (out/deploy/${board.kind}/${install.file})`);
  const file = given ?? fileURLToPath(new URL(`../../runtime/prebuilt/${board.runtime!.image}`, import.meta.url));
  const image = new Uint8Array(await readFile(file).catch((error: Error) => { throw new ConfigError(`cannot read ${file}: ${error.message}`); }));
  if (!given) log(`installing the Mote Runtime for ${board.title} (${board.runtime!.image}, ${image.length} bytes)`);
  else if (basename(file) !== install.file) log(`note: ${board.kind} installs ${install.file}; flashing ${basename(file)} as given`);

  if (install.method === 'esptool') {
    const device = option('port');
    if (!device) throw new ConfigError(`${board.kind} is flashed over serial: pass --port=/dev/ttyUSB0 (or /dev/ttyACM0)`);
    log(`Put the board into download mode first (Node cannot drive DTR/RTS): hold BOOT, press and release RESET, release BOOT.`);
    let last = -1;
    const result = await flashEsp32c3(nodeSerialPort(device), image, {
      address: install.address ?? 0, before: 'no_reset', attempts: 3,
      onProgress: ({ written, total, etaSeconds }) => {
        const percent = Math.floor((100 * written) / total);
        if (percent !== last) { last = percent; log(`writing ${percent}%${etaSeconds !== undefined ? `, ETA ${Math.ceil(etaSeconds)} s` : ''}`); }
      },
    });
    log(`flashed ${result.bytes} bytes to ${result.chip} at 0x${result.address.toString(16)}, MD5 ${result.md5} verified; press RESET to start it`);
    return;
  }

  const drive = option('drive');
  if (!drive) throw new ConfigError(`${board.kind} is flashed by copying ${install.file} to its drive: ${install.steps}${install.touchBaud ? ` (or, if it runs the Mote Runtime, pass its serial port too: --port=/dev/ttyACM0)` : ''}; then pass --drive=/media/$USER/<drive name>`);
  const marker = (dir: string) => (install.driveMarker ? join(dir, install.driveMarker) : dir);
  const port = option('port');
  if (port !== undefined) {
    if (!install.touchBaud) throw new ConfigError(`${board.kind} has no serial touch into its drive; drop --port=${port} and ${install.steps}`);
    if (await stat(marker(drive)).then(() => true, () => false)) log(`the drive is already at ${drive}; no touch needed`);
    else await touchAndWait(port, install.touchBaud, marker(drive), `${drive} did not appear as ${board.title}'s drive`, install.steps, log, options);
  }
  const isDir = await stat(drive).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new ConfigError(`${drive} is not a mounted drive: ${install.steps}`);
  if (install.driveMarker && !(await stat(join(drive, install.driveMarker)).then(() => true, () => false))) {
    throw new ConfigError(`${drive} has no ${install.driveMarker}, so it is not ${board.title}'s drive: ${install.steps}`);
  }
  // Refuse a damaged file before the board takes it.
  if (install.method === 'uf2-drive') readUf2(image);
  if (file.endsWith('.hex')) readIntelHex(new TextDecoder().decode(image));
  // The drive's firmware decides by the name's extension (.bin, .hex, .uf2): the runtime keeps its own.
  const destination = join(drive, basename(given ? install.file : file));
  await copyFile(file, `${destination}.part`).then(() => rename(`${destination}.part`, destination));
  log(`copied ${image.length} bytes to ${destination}; the board restarts into the new firmware by itself`);
}

/**
 * The 1200-baud touch on `device` (src/devices/drive-touch.ts through the Node port: stty sets the baud rate,
 * the close drops DTR), then waits for `markerPath` to appear (the OS mounting the board's drive there).
 * On Linux, stty's own open and close of the tty already make the touch, so the board may be gone before
 * the port opens: a failed open is reported, and the drive still waited for.
 */
async function touchAndWait(device: string, baudRate: number, markerPath: string, missing: string, steps: string, log: (line: string) => void, options: { driveWithinMs?: number }): Promise<void> {
  if (!(await stat(device).then(() => true, () => false))) throw new ConfigError(`there is no serial device ${device}: plug in the board running the Mote Runtime and check its port (ls /dev/ttyACM*), or ${steps} and run without --port`);
  log(`restarting the board into its drive: opening ${device} at ${baudRate} baud and closing it (the ${baudRate}-baud touch)`);
  const { touchIntoDrive } = await import('../devices/drive-touch');
  const touch = await touchIntoDrive(nodeSerialPort(device), { baudRate }).then(() => null, (error: Error) => error.message);
  if (touch) log(`note: ${touch.replace(/\.$/, '')} (the board may already have gone, as asked); waiting for its drive`);
  const withinMs = options.driveWithinMs ?? DRIVE_APPEARS_WITHIN_S * 1000;
  const started = Date.now();
  while (!(await stat(markerPath).then(() => true, () => false))) {
    if (Date.now() - started > withinMs) throw new ConfigError(`${missing} within ${Math.round(withinMs / 1000)} s of the touch (the board keeps its port if it is not running the Mote Runtime; a desktop may mount the drive elsewhere: check \`ls /media/$USER\`): ${steps}, then run without --port`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  log(`the drive appeared after ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

