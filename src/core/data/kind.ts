import type { KindInfo } from '../base/kinds';
import { InputFileError } from '../base/errors';
import type { DataBundle } from './bundle';
import type { FileSource } from './source';
import type { DatasetLibrary } from './library';

/** Same fields as the CLI's ProgressUpdate, so a reporter can be passed straight through. */
export interface DataProgress { stage: string; done: number; total: number; detail?: string }
export type ProgressFn = (update: DataProgress) => void;

/** What the place a dataset is loaded in offers beyond files: the app's own datasets (Recorded). */
export interface DatasetContext {
  /** The user's stored datasets (IndexedDB in the browser); absent where there are none (the CLI). */
  library?: DatasetLibrary;
}

export interface DatasetKind<P = any> extends KindInfo<P> {
  /** False for kinds that carry their data (Digits) or read it from the library (Recorded): no `path`, no source needed. */
  readonly needsFiles: boolean;
  /** Reads the original files; throws InputFileError (naming the file) rather than returning part of a set. */
  load(params: P, source: FileSource | undefined, progress?: ProgressFn, context?: DatasetContext): Promise<DataBundle>;
}

export function requireSource(kind: string, source: FileSource | undefined): FileSource {
  if (!source) throw new InputFileError(`dataset kind ${kind} reads the original dataset files, and none were given: set [dataset] params.path (CLI) or pick the downloaded archive or folder (app)`);
  return source;
}
