import type { KindInfo } from '../base/kinds';
import { InputFileError } from '../base/errors';
import type { DataBundle } from './bundle';
import type { FileSource } from './source';

/** Same fields as the CLI's ProgressUpdate, so a reporter can be passed straight through. */
export interface DataProgress { stage: string; done: number; total: number; detail?: string }
export type ProgressFn = (update: DataProgress) => void;

export interface DatasetKind<P = any> extends KindInfo<P> {
  /** False for kinds that carry their data (Digits): no `path`, no source needed. */
  readonly needsFiles: boolean;
  /** Reads the original files; throws InputFileError (naming the file) rather than returning part of a set. */
  load(params: P, source: FileSource | undefined, progress?: ProgressFn): Promise<DataBundle>;
}

export function requireSource(kind: string, source: FileSource | undefined): FileSource {
  if (!source) throw new InputFileError(`dataset kind ${kind} reads the original dataset files, and none were given: set [dataset] params.path (CLI) or pick the downloaded archive or folder (app)`);
  return source;
}
