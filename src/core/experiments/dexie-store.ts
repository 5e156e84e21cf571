// ExperimentStore on IndexedDB through Dexie (the browser app; fake-indexeddb in Node tests).
// The schema is versioned: every change adds a `version(n)` with an upgrade that rewrites old records, and
// tests/experiments/migration.test.ts opens a frozen snapshot of every older version and checks nothing is lost.

import Dexie, { type Table, type Transaction } from 'dexie';
import {
  EXPERIMENT_FILE_RUN, RecordNotFoundError, StorageFullError, StoreFormatError, byNewest, duplicateName,
  definedOnly, newRunRecord, storageFullMessage, systemClock,
  type ArtifactRecord, type ExperimentRecord, type ExperimentStore, type NewArtifact, type NewExperiment,
  type NewRun, type RunRecord, type StoreClock,
} from './store';
import { artifactKindFor, mediaTypeFor } from './media-type';
import type { DatasetChunk, DatasetInfo } from '../data/library';

export const DEFAULT_DATABASE_NAME = 'mote';

/** Index specs of every schema version, frozen once released (the migration test opens v1 with these). */
export const DEXIE_SCHEMAS = {
  1: {
    experiments: 'id, updated',
    runs: 'id, experimentId',
    artifacts: 'id, runId',
  },
  2: {
    experiments: 'id, updatedAt',
    runs: 'id, experimentId, startedAt',
    artifacts: 'id, runId, experimentId',
    // Bytes live apart from their record so listing artifacts never loads megabytes of firmware.
    artifactData: 'id',
  },
  3: {
    experiments: 'id, updatedAt',
    runs: 'id, experimentId, startedAt',
    artifacts: 'id, runId, experimentId',
    artifactData: 'id',
    // The user's own datasets (src/core/data/library.ts): descriptions apart from their chunks of samples,
    // so the Data page lists them without reading a byte of data.
    datasets: 'id, &name, updatedAt',
    datasetChunks: '[datasetId+index], datasetId',
  },
} as const;

/** The newest schema version: the database this Mote opens (Dexie stores it × 10 in IndexedDB). */
export const DEXIE_SCHEMA_VERSION = 3;

interface ArtifactData { id: string; bytes: Uint8Array }

/** Shapes of version-1 records, kept to type the upgrade (v1 stored epoch milliseconds and inline bytes). */
interface ExperimentV1 { id: string; name: string; toml: string; created: number; updated: number }
interface RunV1 {
  id: string; experimentId: string; status: 'running' | 'done' | 'failed' | 'cancelled';
  metrics: Record<string, number | null>; results: unknown; started: number; finished: number | null;
}
interface ArtifactV1 { id: string; runId: string; name: string; kind: string; data: Uint8Array; created: number }

export class MoteDatabase extends Dexie {
  experiments!: Table<ExperimentRecord, string>;
  runs!: Table<RunRecord, string>;
  artifacts!: Table<ArtifactRecord, string>;
  artifactData!: Table<ArtifactData, string>;
  datasets!: Table<DatasetInfo, string>;
  datasetChunks!: Table<DatasetChunk, [string, number]>;

  constructor(name: string, dependencies?: { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange }) {
    super(name, dependencies ? { indexedDB: dependencies.indexedDB, IDBKeyRange: dependencies.IDBKeyRange } : undefined);
    this.version(1).stores(DEXIE_SCHEMAS[1]);
    this.version(2).stores(DEXIE_SCHEMAS[2]).upgrade(upgradeV1toV2);
    // v3 only adds the (empty) dataset tables: nothing to rewrite.
    this.version(3).stores(DEXIE_SCHEMAS[3]);
  }
}

const iso = (ms: number | null | undefined): string | null =>
  typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : null;


async function upgradeV1toV2(tx: Transaction): Promise<void> {
  const experiments = new Map<string, ExperimentV1>();
  await tx.table('experiments').toCollection().modify((record: ExperimentV1 & Partial<ExperimentRecord>) => {
    experiments.set(record.id, { ...record });
    record.createdAt = iso(record.created) ?? new Date(0).toISOString();
    record.updatedAt = iso(record.updated) ?? record.createdAt;
    record.source = 'saved by Mote 0.1';
    delete (record as Partial<ExperimentV1>).created;
    delete (record as Partial<ExperimentV1>).updated;
  });
  await tx.table('runs').toCollection().modify((record: RunV1) => {
    const status: RunRecord['status'] = record.status === 'done' ? 'completed' : record.status;
    const startedAt = iso(record.started) ?? new Date(0).toISOString();
    Object.assign(record, {
      status,
      stage: null,
      stages: [],
      results: record.results ?? null,
      // v1 did not snapshot the text; the experiment's current text is the best there is.
      toml: experiments.get(record.experimentId)?.toml ?? '',
      error: status === 'failed' ? 'failed (this run was recorded by Mote 0.1, which kept no details)' : null,
      startedAt,
      finishedAt: iso(record.finished),
    });
    delete (record as Partial<RunV1>).started;
    delete (record as Partial<RunV1>).finished;
  });
  const runs = new Map<string, string>();
  await tx.table('runs').each((run: RunRecord) => { runs.set(run.id, run.experimentId); });
  const moved: ArtifactData[] = [];
  await tx.table('artifacts').toCollection().modify((record: ArtifactV1 & Partial<ArtifactRecord>) => {
    const bytes = record.data instanceof Uint8Array ? record.data : new Uint8Array(record.data ?? []);
    moved.push({ id: record.id, bytes });
    Object.assign(record, {
      experimentId: runs.get(record.runId) ?? '',
      mediaType: mediaTypeFor(record.name),
      size: bytes.byteLength,
      createdAt: iso(record.created) ?? new Date(0).toISOString(),
    });
    delete (record as Partial<ArtifactV1>).data;
    delete (record as Partial<ArtifactV1>).created;
  });
  await tx.table('artifactData').bulkAdd(moved);
}

function newerFormat(cause?: unknown): StoreFormatError {
  return new StoreFormatError(`The saved experiments were written by a newer version of Mote (storage format newer than ${DEXIE_SCHEMA_VERSION}). Reload the page to get the newest Mote; nothing was changed.`, { cause });
}

/** Native IndexedDB version of an existing database (Dexie stores version × 10), without creating it. */
async function installedVersion(factory: IDBFactory | undefined, name: string): Promise<number | undefined> {
  if (!factory || typeof factory.databases !== 'function') return undefined;
  const found = (await factory.databases()).find((d) => d.name === name);
  return found?.version;
}

export function isQuotaError(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.inner ?? e.cause, depth++) {
    if (e.name === 'QuotaExceededError' || e.code === 22) return true;
  }
  return false;
}

export interface DexieStoreOptions {
  name?: string;
  /** fake-indexeddb in Node tests; the browser's own otherwise. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
  clock?: StoreClock;
}

export class DexieExperimentStore implements ExperimentStore {
  readonly db: MoteDatabase;
  private readonly clock: StoreClock;
  private readonly indexedDB: IDBFactory | undefined;

  constructor(options: DexieStoreOptions = {}) {
    this.indexedDB = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    const dependencies = options.indexedDB && options.IDBKeyRange ? { indexedDB: options.indexedDB, IDBKeyRange: options.IDBKeyRange } : undefined;
    this.db = new MoteDatabase(options.name ?? DEFAULT_DATABASE_NAME, dependencies);
    this.clock = options.clock ?? systemClock;
  }

  /** Opens (and upgrades) the database; a database from a newer Mote is refused with advice. */
  async open(): Promise<this> {
    // Dexie 4 opens a newer database anyway and rewrites its schema to match ours; look before touching it.
    const installed = await installedVersion(this.indexedDB, this.db.name);
    if (installed !== undefined && Math.floor(installed / 10) > DEXIE_SCHEMA_VERSION) throw newerFormat();
    try {
      await this.db.open();
    } catch (error: any) {
      if (error?.name === 'VersionError') throw newerFormat(error);
      throw error;
    }
    return this;
  }

  private async write<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (isQuotaError(error)) throw new StorageFullError(storageFullMessage(what, "this browser's storage for Mote"), { cause: error });
      throw error;
    }
  }

  async listExperiments(): Promise<ExperimentRecord[]> {
    return (await this.db.experiments.toArray()).sort(byNewest((e) => e.updatedAt));
  }

  getExperiment(id: string): Promise<ExperimentRecord | undefined> {
    return this.db.experiments.get(id);
  }

  async createExperiment(input: NewExperiment): Promise<ExperimentRecord> {
    const now = this.clock.now();
    const record: ExperimentRecord = { id: this.clock.newId(), name: input.name, toml: input.toml, source: input.source ?? '', createdAt: now, updatedAt: now };
    await this.write(`the experiment "${input.name}"`, () => this.db.experiments.add(record));
    return record;
  }

  async updateExperiment(id: string, change: { name?: string; toml?: string; source?: string }): Promise<ExperimentRecord> {
    return this.write(`the changes to this experiment`, () => this.db.transaction('rw', this.db.experiments, async () => {
      const current = await this.db.experiments.get(id);
      if (!current) throw new RecordNotFoundError(`The experiment ${id} no longer exists (deleted in another tab?). Copy your text before reloading.`);
      const next: ExperimentRecord = { ...current, ...definedOnly(change), updatedAt: this.clock.now() };
      await this.db.experiments.put(next);
      return next;
    }));
  }

  async duplicateExperiment(id: string, name?: string): Promise<ExperimentRecord> {
    const original = await this.getExperiment(id);
    if (!original) throw new RecordNotFoundError(`Cannot duplicate experiment ${id}: it no longer exists.`);
    const copy = await this.createExperiment({ name: name ?? duplicateName(original.name), toml: original.toml, source: `copy of ${original.name}` });
    for (const file of await this.listExperimentFiles(id)) await this.putExperimentFile(copy.id, file.name, await this.readArtifact(file.id));
    return copy;
  }

  async deleteExperiment(id: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', [db.experiments, db.runs, db.artifacts, db.artifactData], async () => {
      const artifactIds = await db.artifacts.where('experimentId').equals(id).primaryKeys();
      await db.artifactData.bulkDelete(artifactIds);
      await db.artifacts.bulkDelete(artifactIds);
      await db.runs.where('experimentId').equals(id).delete();
      await db.experiments.delete(id);
    });
  }

  async listRuns(experimentId: string): Promise<RunRecord[]> {
    return (await this.db.runs.where('experimentId').equals(experimentId).toArray()).sort(byNewest((r) => r.startedAt));
  }

  getRun(id: string): Promise<RunRecord | undefined> {
    return this.db.runs.get(id);
  }

  async createRun(input: NewRun): Promise<RunRecord> {
    const record = newRunRecord(this.clock, input);
    await this.write('the new run', () => this.db.runs.add(record));
    return record;
  }

  async updateRun(id: string, change: Partial<Omit<RunRecord, 'id' | 'experimentId'>>): Promise<RunRecord> {
    return this.write('the run record', () => this.db.transaction('rw', this.db.runs, async () => {
      const current = await this.db.runs.get(id);
      if (!current) throw new RecordNotFoundError(`The run ${id} no longer exists (its experiment was deleted?).`);
      const next: RunRecord = { ...current, ...definedOnly(change) };
      await this.db.runs.put(next);
      return next;
    }));
  }

  async deleteRun(id: string): Promise<void> {
    const { db } = this;
    await db.transaction('rw', [db.runs, db.artifacts, db.artifactData], async () => {
      const artifactIds = await db.artifacts.where('runId').equals(id).primaryKeys();
      await db.artifactData.bulkDelete(artifactIds);
      await db.artifacts.bulkDelete(artifactIds);
      await db.runs.delete(id);
    });
  }

  async putArtifact(input: NewArtifact, bytes: Uint8Array): Promise<ArtifactRecord> {
    return this.saveArtifact(input, bytes, async () => {
      const run = await this.db.runs.get(input.runId);
      if (!run) throw new RecordNotFoundError(`Cannot save ${input.name}: the run ${input.runId} no longer exists.`);
      return { runId: run.id, experimentId: run.experimentId };
    });
  }

  async putExperimentFile(experimentId: string, name: string, bytes: Uint8Array): Promise<ArtifactRecord> {
    return this.saveArtifact({ runId: EXPERIMENT_FILE_RUN, name, kind: artifactKindFor(name) }, bytes, async () => {
      if (!(await this.db.experiments.get(experimentId))) throw new RecordNotFoundError(`Cannot save ${name}: the experiment ${experimentId} no longer exists (deleted in another tab?).`);
      return { runId: EXPERIMENT_FILE_RUN, experimentId };
    });
  }

  async listExperimentFiles(experimentId: string): Promise<ArtifactRecord[]> {
    return (await this.db.artifacts.where('experimentId').equals(experimentId).filter((a) => a.runId === EXPERIMENT_FILE_RUN).toArray()).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Saves an artifact of its owner (a run, or an experiment for its own files), replacing one of the same name. */
  private async saveArtifact(input: NewArtifact, bytes: Uint8Array, owner: () => Promise<{ runId: string; experimentId: string }>): Promise<ArtifactRecord> {
    const { db } = this;
    return this.write(`the artifact ${input.name} (${bytes.byteLength} bytes)`, () => db.transaction('rw', [db.experiments, db.runs, db.artifacts, db.artifactData], async () => {
      const { runId, experimentId } = await owner();
      const record: ArtifactRecord = {
        id: this.clock.newId(), runId, experimentId, name: input.name, kind: input.kind,
        mediaType: input.mediaType ?? mediaTypeFor(input.name), size: bytes.byteLength, createdAt: this.clock.now(),
      };
      const replaced = await db.artifacts.where('experimentId').equals(experimentId).filter((a) => a.runId === runId && a.name === input.name).primaryKeys();
      await db.artifactData.bulkDelete(replaced);
      await db.artifacts.bulkDelete(replaced);
      await db.artifacts.add(record);
      await db.artifactData.add({ id: record.id, bytes: bytes.slice() });
      return record;
    }));
  }

  async listArtifacts(runId: string): Promise<ArtifactRecord[]> {
    return (await this.db.artifacts.where('runId').equals(runId).toArray()).sort((a, b) => a.name.localeCompare(b.name));
  }

  async readArtifact(id: string): Promise<Uint8Array> {
    const data = await this.db.artifactData.get(id);
    if (!data) throw new RecordNotFoundError(`The artifact ${id} is not stored (deleted with its run?).`);
    return data.bytes instanceof Uint8Array ? data.bytes : new Uint8Array(data.bytes);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}


export async function openDexieStore(options: DexieStoreOptions = {}): Promise<DexieExperimentStore> {
  return new DexieExperimentStore(options).open();
}
