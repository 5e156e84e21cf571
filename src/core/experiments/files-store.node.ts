// ExperimentStore as plain files under a root folder (the `mote` CLI, tests). Layout, readable by people:
//   <root>/store.json                       {"format": 2}
//   <root>/experiments/<id>.json            metadata + TOML text
//   <root>/experiments/<id>.toml            the same TOML text, for people and editors (written first)
//   <root>/runs/<id>.json                   RunRecord
//   <root>/artifacts/<id>.json              ArtifactRecord
//   <root>/artifacts/<id>.bin               its bytes (written before its record, so a record always has bytes)
//                                           (an experiment's own files are artifacts whose runId is '')
// Every file is written to a temporary name and renamed, so a crash never leaves half a file.

import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  EXPERIMENT_FILE_RUN, EXPERIMENT_STORE_FORMAT_VERSION, RecordNotFoundError, StorageFullError, StoreFormatError, byNewest, duplicateName,
  definedOnly, newRunRecord, storageFullMessage, systemClock,
  type ArtifactRecord, type ExperimentRecord, type ExperimentStore, type NewArtifact, type NewExperiment,
  type NewRun, type RunRecord, type StoreClock,
} from './store';
import { artifactKindFor, mediaTypeFor } from './media-type';

const SAFE_ID = /^[A-Za-z0-9_-]{1,128}$/;

export class FilesExperimentStore implements ExperimentStore {
  private readonly clock: StoreClock;

  constructor(readonly root: string, options: { clock?: StoreClock } = {}) {
    this.clock = options.clock ?? systemClock;
  }

  /** Creates the folders (or checks an existing store's format) and returns the store. */
  async open(): Promise<this> {
    for (const dir of ['experiments', 'runs', 'artifacts']) await mkdir(join(this.root, dir), { recursive: true });
    const marker = join(this.root, 'store.json');
    const existing = await readJson<{ format?: number }>(marker);
    if (existing === undefined) {
      await this.writeAtomic(marker, JSON.stringify({ format: EXPERIMENT_STORE_FORMAT_VERSION }) + '\n', 'the store marker');
    } else if (typeof existing.format !== 'number' || existing.format > EXPERIMENT_STORE_FORMAT_VERSION) {
      throw new StoreFormatError(`${marker}: store format ${existing.format} is not one this Mote reads (it reads up to ${EXPERIMENT_STORE_FORMAT_VERSION}); update Mote or use another folder.`);
    }
    return this;
  }

  private path(kind: 'experiments' | 'runs' | 'artifacts', id: string, extension: string): string {
    if (!SAFE_ID.test(id)) throw new RecordNotFoundError(`'${id}' is not a valid ${kind.slice(0, -1)} id (letters, digits, '-' and '_' only).`);
    return join(this.root, kind, `${id}.${extension}`);
  }

  private async writeAtomic(path: string, data: string | Uint8Array, what: string): Promise<void> {
    const temporary = `${path}.${process.pid}.${this.clock.newId()}.tmp`;
    try {
      await writeFile(temporary, data);
      await rename(temporary, path);
    } catch (error: any) {
      await rm(temporary, { force: true });
      if (error?.code === 'ENOSPC' || error?.code === 'EDQUOT') throw new StorageFullError(storageFullMessage(what, `the disk holding ${this.root}`), { cause: error });
      throw error;
    }
  }

  private async readAll<T>(kind: 'experiments' | 'runs' | 'artifacts'): Promise<T[]> {
    const names = (await readdir(join(this.root, kind))).filter((n) => n.endsWith('.json'));
    const records = await Promise.all(names.map((n) => readJson<T>(join(this.root, kind, n))));
    return records.filter((r): r is Awaited<T> => r !== undefined) as T[];
  }

  async listExperiments(): Promise<ExperimentRecord[]> {
    return (await this.readAll<ExperimentRecord>('experiments')).sort(byNewest((e) => e.updatedAt));
  }

  async getExperiment(id: string): Promise<ExperimentRecord | undefined> {
    return readJson<ExperimentRecord>(this.path('experiments', id, 'json'));
  }

  private async saveExperiment(record: ExperimentRecord, what: string): Promise<void> {
    await this.writeAtomic(this.path('experiments', record.id, 'toml'), record.toml, what);
    await this.writeAtomic(this.path('experiments', record.id, 'json'), JSON.stringify(record, null, 2) + '\n', what);
  }

  async createExperiment(input: NewExperiment): Promise<ExperimentRecord> {
    const now = this.clock.now();
    const record: ExperimentRecord = { id: this.clock.newId(), name: input.name, toml: input.toml, source: input.source ?? '', createdAt: now, updatedAt: now };
    await this.saveExperiment(record, `the experiment "${input.name}"`);
    return record;
  }

  async updateExperiment(id: string, change: { name?: string; toml?: string; source?: string }): Promise<ExperimentRecord> {
    const current = await this.getExperiment(id);
    if (!current) throw new RecordNotFoundError(`The experiment ${id} does not exist in ${this.root}.`);
    const next: ExperimentRecord = { ...current, ...definedOnly(change), updatedAt: this.clock.now() };
    await this.saveExperiment(next, 'the changes to this experiment');
    return next;
  }

  async duplicateExperiment(id: string, name?: string): Promise<ExperimentRecord> {
    const original = await this.getExperiment(id);
    if (!original) throw new RecordNotFoundError(`Cannot duplicate experiment ${id}: it does not exist in ${this.root}.`);
    const copy = await this.createExperiment({ name: name ?? duplicateName(original.name), toml: original.toml, source: `copy of ${original.name}` });
    for (const file of await this.listExperimentFiles(id)) await this.putExperimentFile(copy.id, file.name, await this.readArtifact(file.id));
    return copy;
  }

  async deleteExperiment(id: string): Promise<void> {
    for (const run of await this.listRuns(id)) await this.deleteRun(run.id);
    for (const file of await this.listExperimentFiles(id)) await this.removeArtifact(file.id);
    // The record goes last: an interrupted delete leaves a visible experiment that can be deleted again.
    await rm(this.path('experiments', id, 'toml'), { force: true });
    await rm(this.path('experiments', id, 'json'), { force: true });
  }

  async listRuns(experimentId: string): Promise<RunRecord[]> {
    return (await this.readAll<RunRecord>('runs')).filter((r) => r.experimentId === experimentId).sort(byNewest((r) => r.startedAt));
  }

  getRun(id: string): Promise<RunRecord | undefined> {
    return readJson<RunRecord>(this.path('runs', id, 'json'));
  }

  async createRun(input: NewRun): Promise<RunRecord> {
    if (!(await this.getExperiment(input.experimentId))) throw new RecordNotFoundError(`Cannot start a run: experiment ${input.experimentId} does not exist.`);
    const record = newRunRecord(this.clock, input);
    await this.writeAtomic(this.path('runs', record.id, 'json'), JSON.stringify(record, null, 2) + '\n', 'the new run');
    return record;
  }

  async updateRun(id: string, change: Partial<Omit<RunRecord, 'id' | 'experimentId'>>): Promise<RunRecord> {
    const current = await this.getRun(id);
    if (!current) throw new RecordNotFoundError(`The run ${id} does not exist in ${this.root}.`);
    const next: RunRecord = { ...current, ...definedOnly(change) };
    await this.writeAtomic(this.path('runs', id, 'json'), JSON.stringify(next, null, 2) + '\n', 'the run record');
    return next;
  }

  async deleteRun(id: string): Promise<void> {
    for (const artifact of await this.listArtifacts(id)) await this.removeArtifact(artifact.id);
    await rm(this.path('runs', id, 'json'), { force: true });
  }

  private async removeArtifact(id: string): Promise<void> {
    await rm(this.path('artifacts', id, 'json'), { force: true });
    await rm(this.path('artifacts', id, 'bin'), { force: true });
  }

  async putArtifact(input: NewArtifact, bytes: Uint8Array): Promise<ArtifactRecord> {
    const run = await this.getRun(input.runId);
    if (!run) throw new RecordNotFoundError(`Cannot save ${input.name}: the run ${input.runId} does not exist.`);
    return this.saveArtifact(input, bytes, run.experimentId, await this.listArtifacts(run.id));
  }

  async putExperimentFile(experimentId: string, name: string, bytes: Uint8Array): Promise<ArtifactRecord> {
    if (!(await this.getExperiment(experimentId))) throw new RecordNotFoundError(`Cannot save ${name}: the experiment ${experimentId} does not exist in ${this.root}.`);
    return this.saveArtifact({ runId: EXPERIMENT_FILE_RUN, name, kind: artifactKindFor(name) }, bytes, experimentId, await this.listExperimentFiles(experimentId));
  }

  async listExperimentFiles(experimentId: string): Promise<ArtifactRecord[]> {
    return (await this.readAll<ArtifactRecord>('artifacts')).filter((a) => a.runId === EXPERIMENT_FILE_RUN && a.experimentId === experimentId).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Writes an artifact of a run (or, with EXPERIMENT_FILE_RUN, of the experiment), then removes the one it replaces. */
  private async saveArtifact(input: NewArtifact, bytes: Uint8Array, experimentId: string, existing: ArtifactRecord[]): Promise<ArtifactRecord> {
    const record: ArtifactRecord = {
      id: this.clock.newId(), runId: input.runId, experimentId, name: input.name, kind: input.kind,
      mediaType: input.mediaType ?? mediaTypeFor(input.name), size: bytes.byteLength, createdAt: this.clock.now(),
    };
    const what = `the artifact ${input.name} (${bytes.byteLength} bytes)`;
    const replaced = existing.filter((a) => a.name === input.name);
    await this.writeAtomic(this.path('artifacts', record.id, 'bin'), bytes, what);
    try {
      await this.writeAtomic(this.path('artifacts', record.id, 'json'), JSON.stringify(record, null, 2) + '\n', what);
    } catch (error) {
      await rm(this.path('artifacts', record.id, 'bin'), { force: true });
      throw error;
    }
    // The earlier version goes only once the new one is complete.
    for (const old of replaced) await this.removeArtifact(old.id);
    return record;
  }

  async listArtifacts(runId: string): Promise<ArtifactRecord[]> {
    return (await this.readAll<ArtifactRecord>('artifacts')).filter((a) => a.runId === runId).sort((a, b) => a.name.localeCompare(b.name));
  }

  async readArtifact(id: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.path('artifacts', id, 'bin')));
    } catch (error: any) {
      if (error?.code === 'ENOENT') throw new RecordNotFoundError(`The artifact ${id} is not stored in ${this.root} (deleted with its run?).`);
      throw error;
    }
  }

  async close(): Promise<void> { /* nothing held open */ }
}

async function readJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: any) {
    if (error?.code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StoreFormatError(`${path} is damaged (not valid JSON: ${(error as Error).message}); move it aside to continue.`, { cause: error });
  }
}


export async function openFilesStore(root: string, options: { clock?: StoreClock } = {}): Promise<FilesExperimentStore> {
  return new FilesExperimentStore(root, options).open();
}
