// Finding a dataset's root inside whatever the user gave: a folder, an archive, an archive inside an
// archive. Sits above source.ts and archive.ts (it opens archives it finds), so neither imports the other.

import { InputFileError } from '../base/errors';
import { archiveKindOf, openArchive } from './archive';
import { bytesSource, isJunkPath, subSource, type FileSource } from './source';

export interface LocateOptions {
  /** File names (any one) whose folder is the dataset root, e.g. `activity_labels.txt`. */
  markers: string[];
  /** What the dataset looks like, for the error message. */
  expected: string;
  /** Keep only these entries of large tar archives (others are skipped while streaming). */
  keep?: (path: string) => boolean;
  /** How deep to open archives found inside archives (outer zip → inner zip = 2). */
  depth?: number;
}

/**
 * Finds the dataset root inside `source`: the folder holding one of the marker files. When no marker is
 * present, archives found in the source (zip, tar, tar.gz) are opened and searched, recursively, so the
 * zip-inside-a-zip of the UCI download works. Throws InputFileError saying what was expected and found.
 */
export async function locateDataset(source: FileSource, options: LocateOptions): Promise<FileSource> {
  const found = await locate(source, options, options.depth ?? 2);
  if (found) return found;
  const files = (await source.list()).filter((f) => !isJunkPath(f));
  const sample = files.slice(0, 8).map((f) => `'${f}'`).join(', ');
  throw new InputFileError(
    `${source.label}: this does not look like ${options.expected}: none of ${options.markers.map((m) => `'${m}'`).join(', ')} was found` +
      (files.length ? ` (found ${files.length} file${files.length === 1 ? '' : 's'}: ${sample}${files.length > 8 ? ', …' : ''})` : ' (it is empty)') +
      '. Point the dataset path at the original download or its extracted folder.',
  );
}

async function locate(source: FileSource, options: LocateOptions, depth: number): Promise<FileSource | undefined> {
  const files = (await source.list()).filter((f) => !isJunkPath(f));
  let best: string | undefined;
  for (const file of files) {
    for (const marker of options.markers) {
      if (file === marker || file.endsWith('/' + marker)) {
        const prefix = file.slice(0, file.length - marker.length);
        if (best === undefined || prefix.length < best.length) best = prefix;
      }
    }
  }
  if (best !== undefined) return subSource(source, best.replace(/\/$/, ''));
  if (depth <= 0) return undefined;
  for (const file of files) {
    if (!archiveKindOf(file)) continue;
    const bytes = source.open ? await source.open(file) : bytesSource(file, await source.read(file));
    const inner = await openArchive(bytes, { keep: options.keep, label: `${source.label} › ${file}` });
    const found = await locate(inner, options, depth - 1);
    if (found) return found;
  }
  return undefined;
}
