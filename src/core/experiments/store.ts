// The experiment store: what Mote keeps between sessions. Experiments are TOML text plus a little metadata;
// runs are the record of one pipeline execution (status, stage, metrics, the results.json record);
// artifacts are the bytes a run produced (weights, generated C, firmware images, evaluation logs).
// Two adapters implement it: Dexie/IndexedDB in the browser (`dexie-store.ts`) and plain files under a root
// folder in Node (`files-store.node.ts`). Both pass the same conformance tests (tests/experiments/).

import { MoteError } from '../base/errors';
import type { BenchResults } from './results';

/** Version of the persisted records (Dexie schema version, files layout `format`). Bump with a migration. */
export const EXPERIMENT_STORE_FORMAT_VERSION = 2;

export interface ExperimentRecord {
  id: string;
  /** What people call it (from `[bench] name` when present, else the file name). */
  name: string;
  /** The experiment exactly as written: Mote never reformats what people typed. */
  toml: string;
  /** Where it came from: a file name, `share link`, `default`, … (informative only). */
  source: string;
  createdAt: string; // ISO 8601
  updatedAt: string; // ISO 8601
}

export type RunStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface RunStageRecord {
  /** Pipeline action: `preprocess_data`, `train`, `prepare_deploy`, `deploy_and_evaluate`. */
  stage: string;
  status: RunStatus | 'skipped';
  startedAt: string;
  finishedAt: string | null;
  /** What happened, in words (the error message for a failed stage, the reason for a skipped one). */
  message: string | null;
}

export interface RunRecord {
  id: string;
  experimentId: string;
  status: RunStatus;
  /** The stage running now, or the last one that ran. */
  stage: string | null;
  stages: RunStageRecord[];
  /** Headline figures by name (`train_acc`, `test_acc`, `target_acc`, `samples_per_s`); null = not measured. */
  metrics: Record<string, number | null>;
  /** The results.json record of this run when the pipeline wrote one. */
  results: BenchResults | null;
  /** Snapshot of the experiment text the run used, so editing the experiment later keeps runs comparable. */
  toml: string;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export type ArtifactKind = 'weights' | 'model' | 'c-source' | 'firmware' | 'log' | 'dataset' | 'other';

export interface ArtifactRecord {
  id: string;
  runId: string;
  experimentId: string;
  /** Path-like name shown to people and used in downloads: `out/deploy/cnn_int8/model.c`. */
  name: string;
  kind: ArtifactKind;
  mediaType: string;
  size: number;
  createdAt: string;
}

/** The `runId` of an experiment's own files (ExperimentStore.putExperimentFile): they belong to no run. */
export const EXPERIMENT_FILE_RUN = '';

export interface NewExperiment {
  name: string;
  toml: string;
  source?: string;
}

export interface NewRun {
  experimentId: string;
  toml: string;
  stage?: string | null;
}

export interface NewArtifact {
  runId: string;
  name: string;
  kind: ArtifactKind;
  mediaType?: string;
}

export interface ExperimentStore {
  /** Newest first (by `updatedAt`). */
  listExperiments(): Promise<ExperimentRecord[]>;
  getExperiment(id: string): Promise<ExperimentRecord | undefined>;
  createExperiment(input: NewExperiment): Promise<ExperimentRecord>;
  /** Saves new text, name and/or source (when the whole text was replaced); throws RecordNotFoundError when
   * the experiment was deleted meanwhile. */
  updateExperiment(id: string, change: { name?: string; toml?: string; source?: string }): Promise<ExperimentRecord>;
  /** A copy named "<name> (copy)" unless a name is given; runs are not copied. */
  duplicateExperiment(id: string, name?: string): Promise<ExperimentRecord>;
  /** Deletes the experiment with its runs and their artifacts. */
  deleteExperiment(id: string): Promise<void>;

  /** Newest first (by `startedAt`). */
  listRuns(experimentId: string): Promise<RunRecord[]>;
  getRun(id: string): Promise<RunRecord | undefined>;
  createRun(input: NewRun): Promise<RunRecord>;
  /** Merges `change` into the run and saves it. */
  updateRun(id: string, change: Partial<Omit<RunRecord, 'id' | 'experimentId'>>): Promise<RunRecord>;
  deleteRun(id: string): Promise<void>;

  /**
   * Saves bytes and their record together: either both are stored or neither. A run's artifact names are
   * unique: saving a name again replaces the earlier artifact (as writing a file again would).
   */
  putArtifact(input: NewArtifact, bytes: Uint8Array): Promise<ArtifactRecord>;
  listArtifacts(runId: string): Promise<ArtifactRecord[]>;
  readArtifact(id: string): Promise<Uint8Array>;

  /**
   * An experiment's own file (a model imported from an .onnx file), kept with the experiment so that it stays
   * self-contained: every run reads it at `name` (run-workspace.ts), a copy of the experiment gets a copy of
   * it, deleting the experiment deletes it. Saving a name again replaces the earlier file. Stored as an
   * artifact of no run (`runId` is EXPERIMENT_FILE_RUN); read with readArtifact.
   */
  putExperimentFile(experimentId: string, name: string, bytes: Uint8Array): Promise<ArtifactRecord>;
  listExperimentFiles(experimentId: string): Promise<ArtifactRecord[]>;

  close(): Promise<void>;
}

/** The record asked for does not exist (deleted in another tab, wrong id). Not named NotFoundError: Dexie
 * rewraps errors whose name matches an IndexedDB error name. */
export class RecordNotFoundError extends MoteError {}

/**
 * The browser (or disk) refused to store more. Raised instead of the raw QuotaExceededError so the app can
 * say it in plain words; whatever was saved before stays saved (writes are transactional).
 */
export class StorageFullError extends MoteError {}

/** The stored data is from a newer Mote, or damaged. */
export class StoreFormatError extends MoteError {}

export interface StoreClock {
  now(): string;
  newId(): string;
}

export const systemClock: StoreClock = {
  now: () => new Date().toISOString(),
  newId: () => globalThis.crypto.randomUUID(),
};

export function describeBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** Message for a refused write: what was not saved, why, and what to do. */
export function storageFullMessage(what: string, where: string): string {
  return `Could not save ${what}: ${where} is full. Nothing that was already saved has been lost. ` +
    'Free some space (delete old runs or experiments you no longer need, or free disk space) and try again.';
}

export function duplicateName(name: string): string {
  return /\(copy\)$/.test(name) ? name.replace(/\(copy\)$/, '(copy 2)') :
    /\(copy (\d+)\)$/.test(name) ? name.replace(/\(copy (\d+)\)$/, (_, n) => `(copy ${Number(n) + 1})`) :
    `${name} (copy)`;
}

export function newRunRecord(clock: StoreClock, input: NewRun): RunRecord {
  return {
    id: clock.newId(),
    experimentId: input.experimentId,
    status: 'running',
    stage: input.stage ?? null,
    stages: [],
    metrics: {},
    results: null,
    toml: input.toml,
    error: null,
    startedAt: clock.now(),
    finishedAt: null,
  };
}

export function byNewest<T>(key: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0);
}

/** The fields of a partial change that are set; `undefined` never erases a stored value. */
export function definedOnly<T extends object>(change: T): Partial<T> {
  return Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as Partial<T>;
}
