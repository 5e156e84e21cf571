// Installs an image on a board that shows up as a USB drive (RP2040/RP2350 BOOTSEL drive: UF2; ST-LINK's
// NODE_xxx drive: .bin/.hex) through the File System Access API: the person picks the drive's folder
// (showDirectoryPicker, from a click), Mote checks the file the board's drive always holds (INFO_UF2.TXT,
// DETAILS.TXT) so it never writes into a wrong folder, then copies the image in chunks. The browser writes
// into a temporary file that becomes the real one only on close(), so a cancel or an unplugged drive leaves no
// partial image on the board. Every failure is a DriveInstallError with the fix.
import { CancelledError, MoteError } from '../core/base/errors';
import type { BoardInstall } from '../core/deploy/board';

export class DriveInstallError extends MoteError {}

/** The part of FileSystemDirectoryHandle used here. */
export interface DriveFolder {
  readonly name: string;
  getFileHandle(name: string, options?: { create?: boolean }): Promise<{
    getFile(): Promise<{ text(): Promise<string> }>;
    createWritable(): Promise<{ write(data: Uint8Array): Promise<void>; close(): Promise<void>; abort(): Promise<void> }>;
  }>;
}

export interface DriveInstallOptions {
  onProgress?: (p: { written: number; total: number; etaSeconds?: number }) => void;
  signal?: AbortSignal;
  chunkBytes?: number;
  now?: () => number;
}

/** Asks for the drive (call from a click); the error says what to do when the person cancels or the browser cannot. */
export async function pickDrive(install: BoardInstall): Promise<DriveFolder> {
  const picker = (globalThis as { showDirectoryPicker?: (o?: { mode?: 'readwrite'; id?: string }) => Promise<DriveFolder> }).showDirectoryPicker;
  if (!picker) throw new DriveInstallError('this browser cannot write to a USB drive from a page (no File System Access API): use Chrome or Edge on a desktop, or copy the image onto the drive yourself');
  try {
    return await picker({ mode: 'readwrite', id: 'mote-board-drive' });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw new DriveInstallError(`no drive was chosen: ${install.steps}, then choose that drive`);
    throw new DriveInstallError(`could not open the drive: ${(error as Error).message}`);
  }
}

/** Checks the drive is the board's, then copies `image` onto it as `fileName`. */
export async function copyToDrive(drive: DriveFolder, install: BoardInstall, fileName: string, image: Uint8Array, options: DriveInstallOptions = {}): Promise<{ marker: string | null }> {
  const now = options.now ?? (() => Date.now());
  let marker: string | null = null;
  if (install.driveMarker) {
    try {
      marker = await (await (await drive.getFileHandle(install.driveMarker)).getFile()).text();
    } catch {
      throw new DriveInstallError(`the folder "${drive.name}" is not the board's drive (it has no ${install.driveMarker}): ${install.steps}, then choose that drive. Nothing was written`);
    }
  }
  let writable: Awaited<ReturnType<Awaited<ReturnType<DriveFolder['getFileHandle']>>['createWritable']>>;
  try {
    writable = await (await drive.getFileHandle(fileName, { create: true })).createWritable();
  } catch (error) {
    throw new DriveInstallError(`the drive "${drive.name}" did not let Mote write (${(error as Error).message}): allow the browser to edit files there, or check the drive is not full or read-only`);
  }
  const chunk = options.chunkBytes ?? 64 * 1024;
  const started = now();
  try {
    for (let at = 0; at < image.length; at += chunk) {
      if (options.signal?.aborted) throw new CancelledError('the install was cancelled');
      await writable.write(image.subarray(at, Math.min(image.length, at + chunk)));
      const written = Math.min(image.length, at + chunk);
      const elapsed = (now() - started) / 1000;
      options.onProgress?.({ written, total: image.length, etaSeconds: elapsed > 0 ? ((image.length - written) * elapsed) / written : undefined });
    }
    await writable.close();
  } catch (error) {
    await writable.abort().catch(() => undefined);
    if (error instanceof CancelledError) throw error;
    throw new DriveInstallError(`the drive went away while the image was copied (${(error as Error).message}; unplugged?): ${install.steps}, and install again — nothing was recorded as installed`);
  }
  return { marker };
}
