// The app's own datasets: what a user recorded (a board's sensor stream, the camera, the microphone) or
// imported (an image folder, a CSV, an Edge Impulse export), kept by name so an experiment can use it with
// `[dataset] kind = "Recorded"`, `params.name = "…"`. This file holds the persisted shapes and the rules
// every implementation shares (names, chunking, the train/test assignment, the conversion to a DataBundle);
// the IndexedDB implementation is src/core/experiments/dexie-datasets.ts.
//
// Samples are stored in chunks (a few hundred kB each) so that a 50 000-image import is written and read
// piece by piece and a failed write (a full disk) never leaves a half-written set behind.

import { MoteError } from '../base/errors';
import type { DataBundle, DataSet, SetName } from './bundle';
import { makeSet, sampleSize } from './bundle';

/** Version of the stored dataset records (DatasetInfo + chunks); bump with a migration in the store. */
export const DATASET_FORMAT_VERSION = 1;

/** What one sample is: a window of sensor readings, a picture, a sound clip, a row of a table. */
export type DatasetModality = 'series' | 'image' | 'audio' | 'table';
/** How sample values are stored: float32 readings, 8-bit pixels, 16-bit PCM. */
export type StoredDtype = 'float32' | 'uint8' | 'int16';
export type StoredSet = Extract<SetName, 'train' | 'test'>;
export type StoredValues = Float32Array | Uint8Array | Int16Array;

export const MODALITY_DTYPE: Record<DatasetModality, StoredDtype> = { series: 'float32', image: 'uint8', audio: 'int16', table: 'float32' };

export interface DatasetInfo {
  id: string;
  /** What experiments use (`params.name`): letters, digits, `_` and `-`. Unique in a library. */
  name: string;
  modality: DatasetModality;
  dtype: StoredDtype;
  /** One sample, channels_last: series [steps, axes], image [height, width, channels], audio [samples, 1], table [features]. */
  shape: number[];
  /** In the order they were first seen: a sample's label is an index into this list. */
  classNames: string[];
  /** Names of the last dimension's entries: sensor axes (`accX`), image channels, table columns. */
  axes: string[];
  /** Readings (series) or samples (audio) per second, as measured or declared; null when not timed. */
  rateHz: number | null;
  /** Samples per class in each set (same order as classNames). */
  counts: Record<StoredSet, number[]>;
  sampleCount: number;
  chunkCount: number;
  /** Next sample serial: serials are never reused, so a deleted sample's number stays free. */
  nextSerial: number;
  /** `importing` while an import writes its chunks; readers skip such a dataset. */
  state: 'ready' | 'importing';
  /** Where the data came from, in words ("recorded from a serial port at 115200 baud"). */
  source: string;
  formatVersion: number;
  createdAt: string;
  updatedAt: string;
}

/** One stored piece of a dataset: `count` samples back to back. */
export interface DatasetChunk {
  datasetId: string;
  index: number;
  count: number;
  values: StoredValues;
  /** Index into DatasetInfo.classNames, per sample. */
  labels: Int32Array;
  /** 0 = train, 1 = test, per sample. */
  sets: Uint8Array;
  /** Stable number of each sample (for deleting one recording, naming it in a message). */
  serials: Int32Array;
}

export interface NewDataset {
  name: string;
  modality: DatasetModality;
  shape: number[];
  axes?: string[];
  rateHz?: number | null;
  classNames?: string[];
  source?: string;
}

/** Samples to add: values back to back in the dataset's dtype, one label (class name) each. */
export interface SampleBatch {
  values: StoredValues;
  labels: string[];
  /** Where each sample goes; assigned by `assignSet` when absent. */
  sets?: StoredSet[];
}

/** A stored sample read back (for previews, exports, the live panel's examples). */
export interface StoredSample { serial: number; label: number; set: StoredSet; values: StoredValues }

export interface DatasetLibrary {
  /** Every ready dataset, newest first. */
  list(): Promise<DatasetInfo[]>;
  find(name: string): Promise<DatasetInfo | undefined>;
  create(spec: NewDataset): Promise<DatasetInfo>;
  /** Appends samples (new labels become new classes); one transaction: all are saved or none. */
  append(id: string, batch: SampleBatch): Promise<DatasetInfo>;
  /** Every sample in storage order, chunk by chunk (a reader never holds more than one chunk it did not ask for). */
  chunks(id: string): AsyncIterable<DatasetChunk>;
  deleteSamples(id: string, serials: number[]): Promise<DatasetInfo>;
  rename(id: string, name: string): Promise<DatasetInfo>;
  delete(id: string): Promise<void>;
  /** Writes a whole loaded dataset chunk by chunk; on any failure nothing of it remains. */
  importBundle(spec: NewDataset, bundle: DataBundle, options?: { signal?: AbortSignal; progress?: (done: number, total: number) => void }): Promise<DatasetInfo>;
}

/** The library could not do what was asked (a name taken, a sample of the wrong shape, …). */
export class DatasetLibraryError extends MoteError {}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** Why `name` cannot name a dataset, or undefined when it can. */
export function datasetNameProblem(name: string): string | undefined {
  if (NAME.test(name)) return undefined;
  if (name.length === 0) return 'a dataset needs a name';
  if (name.length > 64) return `'${name.slice(0, 20)}…' is ${name.length} characters long; use at most 64`;
  return `'${name}' cannot name a dataset: use letters, digits, '_' and '-' (it becomes params.name in the experiment and a folder name in exports), starting with a letter or digit`;
}

export function checkDatasetName(name: string): void {
  const problem = datasetNameProblem(name);
  if (problem) throw new DatasetLibraryError(problem);
}

/** A free name like `gestures`, `gestures-2`, … among `taken`. */
export function freeDatasetName(base: string, taken: Iterable<string>): string {
  const clean = base.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^[-_]+|-+$/g, '').slice(0, 56) || 'dataset';
  const used = new Set(taken);
  if (!used.has(clean)) return clean;
  for (let i = 2; ; i++) if (!used.has(`${clean}-${i}`)) return `${clean}-${i}`;
}

export function bytesPerValue(dtype: StoredDtype): number {
  return dtype === 'uint8' ? 1 : dtype === 'int16' ? 2 : 4;
}

/** Target size of one chunk: small enough to rewrite on every recording, large enough that 50 000 images are ~200 writes. */
export const CHUNK_TARGET_BYTES = 1 << 20;

export function samplesPerChunk(shape: readonly number[], dtype: StoredDtype): number {
  return Math.max(1, Math.floor(CHUNK_TARGET_BYTES / (sampleSize(shape) * bytesPerValue(dtype))));
}

export function emptyValues(dtype: StoredDtype, length: number): StoredValues {
  return dtype === 'uint8' ? new Uint8Array(length) : dtype === 'int16' ? new Int16Array(length) : new Float32Array(length);
}

export function valuesMatch(dtype: StoredDtype, values: StoredValues): boolean {
  return dtype === 'uint8' ? values instanceof Uint8Array : dtype === 'int16' ? values instanceof Int16Array : values instanceof Float32Array;
}

/** Default share of each class that goes to the test set as samples are recorded. */
export const DEFAULT_TEST_FRACTION = 0.2;

/**
 * Where the next sample of a class goes, so that each class keeps `testFraction` of its samples in test as
 * it grows (every 5th at 0.2) and a sample never moves between sets when more are recorded.
 */
export function assignSet(trainCount: number, testCount: number, testFraction = DEFAULT_TEST_FRACTION): StoredSet {
  const total = trainCount + testCount + 1;
  return (testCount + 1) / total <= testFraction + 1e-9 ? 'test' : 'train';
}

/** Checks a new dataset's description; returns the DatasetInfo fields it determines. */
export function describeNewDataset(spec: NewDataset): Pick<DatasetInfo, 'name' | 'modality' | 'dtype' | 'shape' | 'axes' | 'rateHz' | 'classNames' | 'source'> {
  checkDatasetName(spec.name);
  if (!spec.shape.length || spec.shape.some((d) => !Number.isInteger(d) || d < 1)) throw new DatasetLibraryError(`dataset '${spec.name}': a sample shape needs positive whole sizes, got [${spec.shape.join(', ')}]`);
  const axes = spec.axes ?? [];
  const last = spec.shape[spec.shape.length - 1];
  if (axes.length && axes.length !== last) throw new DatasetLibraryError(`dataset '${spec.name}': ${axes.length} axis names (${axes.join(', ')}) for samples of shape [${spec.shape.join(', ')}], whose last dimension is ${last}`);
  return {
    name: spec.name, modality: spec.modality, dtype: MODALITY_DTYPE[spec.modality], shape: [...spec.shape], axes: [...axes],
    rateHz: spec.rateHz ?? null, classNames: [...(spec.classNames ?? [])], source: spec.source ?? '',
  };
}

/** Checks a batch against its dataset; returns the class index of each sample (new classes appended to `classNames`). */
export function checkBatch(info: Pick<DatasetInfo, 'name' | 'dtype' | 'shape' | 'classNames'>, batch: SampleBatch): { labels: Int32Array; classNames: string[] } {
  const size = sampleSize(info.shape);
  if (!valuesMatch(info.dtype, batch.values)) throw new DatasetLibraryError(`dataset '${info.name}' stores ${info.dtype} values; the new samples are ${batch.values.constructor.name}`);
  if (batch.values.length !== batch.labels.length * size) {
    throw new DatasetLibraryError(`dataset '${info.name}': ${batch.labels.length} sample(s) of shape [${info.shape.join(', ')}] need ${batch.labels.length * size} values, got ${batch.values.length}`);
  }
  if (batch.sets && batch.sets.length !== batch.labels.length) throw new DatasetLibraryError(`dataset '${info.name}': ${batch.sets.length} set assignments for ${batch.labels.length} samples`);
  const classNames = [...info.classNames];
  const labels = new Int32Array(batch.labels.length);
  batch.labels.forEach((label, i) => {
    const name = label.trim();
    if (!name) throw new DatasetLibraryError(`dataset '${info.name}': sample ${i + 1} of the batch has an empty label; every sample needs a class name`);
    let index = classNames.indexOf(name);
    if (index < 0) { index = classNames.length; classNames.push(name); }
    labels[i] = index;
  });
  return { labels, classNames };
}

/** Sample counts per class of a stored set, grown to `classCount`. */
export function grownCounts(counts: Record<StoredSet, number[]>, classCount: number): Record<StoredSet, number[]> {
  const grow = (c: number[]) => [...c, ...new Array<number>(Math.max(0, classCount - c.length)).fill(0)];
  return { train: grow(counts.train), test: grow(counts.test) };
}

/** How many bytes a batch takes once stored (values, labels, sets, serials). */
export function storedBytes(values: StoredValues, count: number): number {
  return values.byteLength + count * 9;
}

/** "1.4 MB", "820 kB", "96 B": sizes as people read them in messages. */
export function describeSize(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}

/** Every sample of a dataset in memory, in storage order. */
export interface LoadedSamples { values: StoredValues; labels: Int32Array; sets: Uint8Array; serials: Int32Array; count: number }

export async function readAllSamples(library: Pick<DatasetLibrary, 'chunks'>, info: DatasetInfo): Promise<LoadedSamples> {
  const size = sampleSize(info.shape);
  const values = emptyValues(info.dtype, info.sampleCount * size);
  const labels = new Int32Array(info.sampleCount);
  const sets = new Uint8Array(info.sampleCount);
  const serials = new Int32Array(info.sampleCount);
  let at = 0;
  for await (const chunk of library.chunks(info.id)) {
    if (at + chunk.count > info.sampleCount) throw new DatasetLibraryError(`dataset '${info.name}' is damaged: its chunks hold more samples than the ${info.sampleCount} it records; export what you can and record it again`);
    values.set(chunk.values as never, at * size);
    labels.set(chunk.labels, at);
    sets.set(chunk.sets, at);
    serials.set(chunk.serials, at);
    at += chunk.count;
  }
  if (at !== info.sampleCount) throw new DatasetLibraryError(`dataset '${info.name}' is damaged: ${at} samples stored, ${info.sampleCount} recorded in its description`);
  return { values, labels, sets, serials, count: at };
}

/**
 * A stored dataset as the pipeline sees it: sets by their stored assignment, values as the original kinds
 * give them (pixels stay 8-bit like MNIST; PCM becomes [-1, 1) like GSC; readings stay float32).
 */
export function bundleFromSamples(info: DatasetInfo, samples: LoadedSamples): DataBundle {
  const size = sampleSize(info.shape);
  const pick = (code: number): DataSet => {
    const indices: number[] = [];
    for (let i = 0; i < samples.count; i++) if (samples.sets[i] === code) indices.push(i);
    const labels = Int32Array.from(indices, (i) => samples.labels[i]);
    if (info.dtype === 'uint8') {
      const x = new Uint8Array(indices.length * size);
      indices.forEach((s, i) => x.set((samples.values as Uint8Array).subarray(s * size, (s + 1) * size), i * size));
      return makeSet(x, info.shape, labels);
    }
    const x = new Float32Array(indices.length * size);
    const scale = info.dtype === 'int16' ? 1 / 32768 : 1;
    indices.forEach((s, i) => {
      for (let k = 0; k < size; k++) x[i * size + k] = samples.values[s * size + k] * scale;
    });
    return makeSet(x, info.shape, labels);
  };
  return { name: `Recorded_${info.name}`, train: pick(0), test: pick(1), classNames: [...info.classNames] };
}
