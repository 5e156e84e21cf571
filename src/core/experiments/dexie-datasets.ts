// DatasetLibrary on the app's IndexedDB database (the `datasets` and `datasetChunks` tables of schema v3,
// dexie-store.ts). A dataset's description and its chunks change in one transaction, so a recording is
// either saved whole or not at all; a large import writes one chunk per transaction and, if any write
// fails (the disk is full, the tab closes), removes what it wrote, so no half-imported set is ever listed.

import type { DataBundle, DataSet } from '../data/bundle';
import { sampleSize, setsOf } from '../data/bundle';
import {
  DATASET_FORMAT_VERSION, DatasetLibraryError, assignSet, checkBatch, checkDatasetName, describeNewDataset,
  describeSize, emptyValues, grownCounts, samplesPerChunk, storedBytes,
  type DatasetChunk, type DatasetInfo, type DatasetLibrary, type NewDataset, type SampleBatch, type StoredSet, type StoredValues,
} from '../data/library';
import { isQuotaError, type MoteDatabase } from './dexie-store';
import { RecordNotFoundError, StorageFullError, systemClock, type StoreClock } from './store';

export interface StorageEstimate { usage?: number; quota?: number }

export interface DexieDatasetOptions {
  clock?: StoreClock;
  /** navigator.storage.estimate in the browser: lets an import refuse before writing when it cannot fit. */
  estimate?: () => Promise<StorageEstimate>;
}

/** An import whose tab closed mid-way leaves an `importing` record; after this long it is cleaned up. */
const STALE_IMPORT_MS = 60 * 60 * 1000;

function fullMessage(what: string, needed: number, estimate: StorageEstimate | undefined, after: string): string {
  const free = estimate?.quota !== undefined && estimate.usage !== undefined ? ` (${describeSize(estimate.usage)} of the ${describeSize(estimate.quota)} this browser allows Mote are in use)` : '';
  return `Could not save ${what}: it needs ${describeSize(needed)} and this browser's storage for Mote is full${free}. ` +
    `Nothing that was already saved has been lost${after}. Free some space (delete datasets, runs or experiments you no longer need, or free disk space) and try again.`;
}

export class DexieDatasetLibrary implements DatasetLibrary {
  private readonly clock: StoreClock;
  private readonly estimate?: () => Promise<StorageEstimate>;

  constructor(private readonly db: MoteDatabase, options: DexieDatasetOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.estimate = options.estimate;
  }

  private async currentEstimate(): Promise<StorageEstimate | undefined> {
    try { return await this.estimate?.(); } catch { return undefined; }
  }

  private async get(id: string): Promise<DatasetInfo> {
    const info = await this.db.datasets.get(id);
    if (!info || info.state !== 'ready') throw new RecordNotFoundError(`The dataset ${id} no longer exists (deleted in another tab?).`);
    return info;
  }

  async list(): Promise<DatasetInfo[]> {
    const all = await this.db.datasets.toArray();
    const stale = all.filter((d) => d.state === 'importing' && Date.parse(this.clock.now()) - Date.parse(d.updatedAt) > STALE_IMPORT_MS);
    for (const d of stale) await this.delete(d.id);
    return all.filter((d) => d.state === 'ready').sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
  }

  async find(name: string): Promise<DatasetInfo | undefined> {
    const info = await this.db.datasets.where('name').equals(name).first();
    return info?.state === 'ready' ? info : undefined;
  }

  private newInfo(spec: NewDataset, state: DatasetInfo['state']): DatasetInfo {
    const described = describeNewDataset(spec);
    const now = this.clock.now();
    const classes = described.classNames.length;
    return {
      id: this.clock.newId(), ...described, counts: { train: new Array(classes).fill(0), test: new Array(classes).fill(0) },
      sampleCount: 0, chunkCount: 0, nextSerial: 1, state, formatVersion: DATASET_FORMAT_VERSION, createdAt: now, updatedAt: now,
    };
  }

  private async addInfo(info: DatasetInfo): Promise<void> {
    try {
      await this.db.datasets.add(info);
    } catch (error) {
      if ((error as { name?: string }).name === 'ConstraintError') throw new DatasetLibraryError(`a dataset named '${info.name}' exists already; pick another name or delete that one first`);
      if (isQuotaError(error)) throw new StorageFullError(fullMessage(`the new dataset '${info.name}'`, 1024, await this.currentEstimate(), ''), { cause: error });
      throw error;
    }
  }

  async create(spec: NewDataset): Promise<DatasetInfo> {
    const info = this.newInfo(spec, 'ready');
    await this.addInfo(info);
    return info;
  }

  async append(id: string, batch: SampleBatch): Promise<DatasetInfo> {
    const { db } = this;
    const count = batch.labels.length;
    const what = `${count === 1 ? '1 sample' : `${count} samples`} (${describeSize(storedBytes(batch.values, count))})`;
    try {
      return await db.transaction('rw', [db.datasets, db.datasetChunks], async () => {
        const info = await this.get(id);
        const { labels, classNames } = checkBatch(info, batch);
        const counts = grownCounts(info.counts, classNames.length);
        const sets = new Uint8Array(count);
        for (let i = 0; i < count; i++) {
          const set: StoredSet = batch.sets?.[i] ?? assignSet(counts.train[labels[i]], counts.test[labels[i]]);
          counts[set][labels[i]]++;
          sets[i] = set === 'test' ? 1 : 0;
        }
        const serials = Int32Array.from({ length: count }, (_, i) => info.nextSerial + i);
        const chunkCount = await this.writeTail(info, { values: batch.values, labels, sets, serials, count });
        const next: DatasetInfo = { ...info, classNames, counts, sampleCount: info.sampleCount + count, chunkCount, nextSerial: info.nextSerial + count, updatedAt: this.clock.now() };
        await db.datasets.put(next);
        return next;
      });
    } catch (error) {
      if (isQuotaError(error)) {
        const info = await db.datasets.get(id);
        throw new StorageFullError(fullMessage(`${what} to '${info?.name ?? id}'`, storedBytes(batch.values, count), await this.currentEstimate(), '; the new samples are still on this page'), { cause: error });
      }
      throw error;
    }
  }

  /** Adds samples after the last one: fills the last chunk, then starts new ones. Returns the new chunk count. */
  private async writeTail(info: DatasetInfo, add: { values: StoredValues; labels: Int32Array; sets: Uint8Array; serials: Int32Array; count: number }): Promise<number> {
    const size = sampleSize(info.shape);
    const perChunk = samplesPerChunk(info.shape, info.dtype);
    let chunkCount = info.chunkCount;
    let from = 0;
    if (chunkCount > 0) {
      const last = await this.db.datasetChunks.get([info.id, chunkCount - 1]);
      if (last && last.count < perChunk) {
        const take = Math.min(perChunk - last.count, add.count);
        await this.db.datasetChunks.put(joinChunk(last, add, 0, take, size, info.dtype));
        from = take;
      }
    }
    while (from < add.count) {
      const take = Math.min(perChunk, add.count - from);
      const empty: DatasetChunk = { datasetId: info.id, index: chunkCount, count: 0, values: emptyValues(info.dtype, 0), labels: new Int32Array(0), sets: new Uint8Array(0), serials: new Int32Array(0) };
      await this.db.datasetChunks.put(joinChunk(empty, add, from, take, size, info.dtype));
      chunkCount++;
      from += take;
    }
    return chunkCount;
  }

  async *chunks(id: string): AsyncIterable<DatasetChunk> {
    const info = await this.get(id);
    for (let index = 0; index < info.chunkCount; index++) {
      const chunk = await this.db.datasetChunks.get([id, index]);
      if (!chunk) throw new DatasetLibraryError(`dataset '${info.name}' is damaged: chunk ${index + 1} of ${info.chunkCount} is missing (deleted while it was read?)`);
      yield chunk;
    }
  }

  async deleteSamples(id: string, serials: number[]): Promise<DatasetInfo> {
    const { db } = this;
    const doomed = new Set(serials);
    return db.transaction('rw', [db.datasets, db.datasetChunks], async () => {
      const info = await this.get(id);
      const size = sampleSize(info.shape);
      const counts = grownCounts({ train: info.counts.train.map(() => 0), test: info.counts.test.map(() => 0) }, info.classNames.length);
      const kept: DatasetChunk[] = [];
      let removed = 0;
      for (let index = 0; index < info.chunkCount; index++) {
        const chunk = (await db.datasetChunks.get([id, index]))!;
        const keep: number[] = [];
        for (let i = 0; i < chunk.count; i++) if (!doomed.has(chunk.serials[i])) keep.push(i);
        removed += chunk.count - keep.length;
        for (const i of keep) counts[chunk.sets[i] === 1 ? 'test' : 'train'][chunk.labels[i]]++;
        if (keep.length === 0) continue;
        kept.push(keep.length === chunk.count ? chunk : selectFromChunk(chunk, keep, size, info.dtype));
      }
      if (removed === 0) return info;
      await db.datasetChunks.where('datasetId').equals(id).delete();
      await db.datasetChunks.bulkPut(kept.map((c, index) => ({ ...c, index })));
      const next: DatasetInfo = { ...info, counts, sampleCount: info.sampleCount - removed, chunkCount: kept.length, updatedAt: this.clock.now() };
      await db.datasets.put(next);
      return next;
    });
  }

  async rename(id: string, name: string): Promise<DatasetInfo> {
    checkDatasetName(name);
    const { db } = this;
    try {
      return await db.transaction('rw', db.datasets, async () => {
        const info = await this.get(id);
        const next = { ...info, name, updatedAt: this.clock.now() };
        await db.datasets.put(next);
        return next;
      });
    } catch (error) {
      if ((error as { name?: string }).name === 'ConstraintError') throw new DatasetLibraryError(`a dataset named '${name}' exists already; pick another name`);
      throw error;
    }
  }

  async delete(id: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', [db.datasets, db.datasetChunks], async () => {
      await db.datasetChunks.where('datasetId').equals(id).delete();
      await db.datasets.delete(id);
    });
  }

  async importBundle(spec: NewDataset, bundle: DataBundle, options: { signal?: AbortSignal; progress?: (done: number, total: number) => void } = {}): Promise<DatasetInfo> {
    const info = this.newInfo({ ...spec, classNames: spec.classNames ?? bundle.classNames }, 'importing');
    const parts = setsOf(bundle).map(([name, set]) => ({ set: (name === 'test' ? 'test' : 'train') as StoredSet, data: set }));
    for (const part of parts) {
      if (sampleSize(part.data.shape) !== sampleSize(info.shape)) throw new DatasetLibraryError(`cannot import into '${info.name}': its samples have shape [${info.shape.join(', ')}], the loaded ${part.set} set [${part.data.shape.join(', ')}]`);
    }
    const total = parts.reduce((n, p) => n + p.data.count, 0);
    const bytesPer = sampleSize(info.shape) * (info.dtype === 'uint8' ? 1 : info.dtype === 'int16' ? 2 : 4) + 9;
    const needed = total * bytesPer;
    const estimate = await this.currentEstimate();
    if (estimate?.quota !== undefined && estimate.usage !== undefined && estimate.quota - estimate.usage < needed) {
      throw new StorageFullError(fullMessage(`the dataset '${info.name}' (${total} samples)`, needed, estimate, '; nothing of this import was written'));
    }
    await this.addInfo(info);
    const perChunk = samplesPerChunk(info.shape, info.dtype);
    let current = info;
    let done = 0;
    try {
      for (const part of parts) {
        for (let from = 0; from < part.data.count; from += perChunk) {
          if (options.signal?.aborted) throw new DatasetLibraryError(`the import of '${info.name}' was cancelled; nothing of it was kept`);
          const take = Math.min(perChunk, part.data.count - from);
          const batch = sliceSet(part.data, from, take, info.dtype);
          const labels = Array.from(batch.labels, (l) => bundle.classNames[l] ?? String(l));
          current = await this.appendImporting(current, { values: batch.values, labels, sets: new Array<StoredSet>(take).fill(part.set) });
          done += take;
          options.progress?.(done, total);
        }
      }
      const ready: DatasetInfo = { ...current, state: 'ready', updatedAt: this.clock.now() };
      await this.db.datasets.put(ready);
      return ready;
    } catch (error) {
      await this.delete(info.id).catch(() => undefined);
      if (isQuotaError(error)) {
        throw new StorageFullError(fullMessage(`the dataset '${info.name}' (${total} samples)`, needed, await this.currentEstimate(), `; the ${done} samples of this import written so far were removed again`), { cause: error });
      }
      throw error;
    }
  }

  /** append() for a dataset still being imported (not yet `ready`, so invisible to get()). */
  private async appendImporting(info: DatasetInfo, batch: SampleBatch): Promise<DatasetInfo> {
    const { db } = this;
    return db.transaction('rw', [db.datasets, db.datasetChunks], async () => {
      const { labels, classNames } = checkBatch(info, batch);
      const counts = grownCounts(info.counts, classNames.length);
      const sets = Uint8Array.from(batch.sets!, (s) => (s === 'test' ? 1 : 0));
      batch.sets!.forEach((s, i) => counts[s][labels[i]]++);
      const count = batch.labels.length;
      const serials = Int32Array.from({ length: count }, (_, i) => info.nextSerial + i);
      const chunkCount = await this.writeTail(info, { values: batch.values, labels, sets, serials, count });
      const next: DatasetInfo = { ...info, classNames, counts, sampleCount: info.sampleCount + count, chunkCount, nextSerial: info.nextSerial + count, updatedAt: this.clock.now() };
      await db.datasets.put(next);
      return next;
    });
  }
}

function joinChunk(base: DatasetChunk, add: { values: StoredValues; labels: Int32Array; sets: Uint8Array; serials: Int32Array }, from: number, take: number, size: number, dtype: DatasetInfo['dtype']): DatasetChunk {
  const count = base.count + take;
  const values = emptyValues(dtype, count * size);
  values.set(base.values as never, 0);
  values.set(add.values.subarray(from * size, (from + take) * size) as never, base.count * size);
  const labels = new Int32Array(count);
  labels.set(base.labels, 0);
  labels.set(add.labels.subarray(from, from + take), base.count);
  const sets = new Uint8Array(count);
  sets.set(base.sets, 0);
  sets.set(add.sets.subarray(from, from + take), base.count);
  const serials = new Int32Array(count);
  serials.set(base.serials, 0);
  serials.set(add.serials.subarray(from, from + take), base.count);
  return { datasetId: base.datasetId, index: base.index, count, values, labels, sets, serials };
}

function selectFromChunk(chunk: DatasetChunk, keep: number[], size: number, dtype: DatasetInfo['dtype']): DatasetChunk {
  const values = emptyValues(dtype, keep.length * size);
  keep.forEach((s, i) => values.set(chunk.values.subarray(s * size, (s + 1) * size) as never, i * size));
  return {
    datasetId: chunk.datasetId, index: chunk.index, count: keep.length, values,
    labels: Int32Array.from(keep, (s) => chunk.labels[s]), sets: Uint8Array.from(keep, (s) => chunk.sets[s]), serials: Int32Array.from(keep, (s) => chunk.serials[s]),
  };
}

/** Samples `from … from+take` of a loaded set in the stored dtype (audio in [-1, 1) back to 16-bit PCM). */
function sliceSet(set: DataSet, from: number, take: number, dtype: DatasetInfo['dtype']): { values: StoredValues; labels: Int32Array } {
  const size = sampleSize(set.shape);
  const source = set.x.subarray(from * size, (from + take) * size);
  const labels = set.labels.subarray(from, from + take);
  if (dtype === 'uint8') {
    if (!(source instanceof Uint8Array)) throw new DatasetLibraryError('internal: image datasets import 8-bit pixels; the loaded set holds floats');
    return { values: source.slice(), labels };
  }
  if (dtype === 'int16') {
    const values = new Int16Array(source.length);
    for (let i = 0; i < source.length; i++) values[i] = Math.max(-32768, Math.min(32767, Math.round(source[i] * 32768)));
    return { values, labels };
  }
  return { values: Float32Array.from(source), labels };
}

/** The dataset library of an opened Mote database. */
export function dexieDatasetLibrary(db: MoteDatabase, options?: DexieDatasetOptions): DexieDatasetLibrary {
  return new DexieDatasetLibrary(db, options);
}
