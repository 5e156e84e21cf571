// Every released Dexie schema has a frozen snapshot under tests/samples/experiments/dexie-v<N>/; opening it with
// today's store must upgrade every record without losing any (cf. tldraw's migration tests on real snapshots).
// Regenerate the expected file only for a deliberate change: MOTE_UPDATE_SAMPLES=1 npx vitest run tests/experiments
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { expect, test } from 'vitest';
import { DEXIE_SCHEMAS, DEXIE_SCHEMA_VERSION, openDexieStore } from '../../src/core/experiments/dexie-store';
import { dexieDatasetLibrary } from '../../src/core/experiments/dexie-datasets';
import { StorageFullError, StoreFormatError } from '../../src/core/experiments/store';

const SAMPLES = join(__dirname, '..', 'samples', 'experiments');

function reviveBytes(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$bytes' in value) return new Uint8Array(Buffer.from((value as { $bytes: string }).$bytes, 'base64'));
  return value;
}
function encodeBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value;
}

/** Writes a frozen snapshot of schema version N into a fresh database opened with that version's indexes. */
async function writeSnapshotDatabase(indexedDB: IDBFactory, name: string, version: 1 | 2): Promise<Record<string, unknown[]>> {
  const snapshot = JSON.parse(readFileSync(join(SAMPLES, `dexie-v${version}`, 'snapshot.json'), 'utf8'), reviveBytes);
  expect(snapshot.schemaVersion).toBe(version);
  const old = new Dexie(name, { indexedDB, IDBKeyRange });
  old.version(version).stores(DEXIE_SCHEMAS[version]);
  await old.open();
  for (const [table, rows] of Object.entries(snapshot.tables as Record<string, unknown[]>)) await old.table(table).bulkAdd(rows);
  old.close();
  return snapshot.tables;
}

/** Every table of the upgraded database, compared with the snapshot's expected file (golden). */
async function expectDump(store: Awaited<ReturnType<typeof openDexieStore>>, version: 1 | 2): Promise<void> {
  const dump: Record<string, unknown[]> = {};
  for (const table of store.db.tables.map((t) => t.name).sort()) dump[table] = await store.db.table(table).orderBy(':id').toArray();
  const expectedPath = join(SAMPLES, `dexie-v${version}`, '_expected', 'current.json');
  const actual = JSON.stringify(dump, encodeBytes, 2) + '\n';
  if (process.env.MOTE_UPDATE_SAMPLES || !existsSync(expectedPath)) writeFileSync(expectedPath, actual);
  expect(actual).toBe(readFileSync(expectedPath, 'utf8'));
}

/** What both snapshots hold, read through the public API as the app reads it. */
async function expectSnapshotKept(store: Awaited<ReturnType<typeof openDexieStore>>, tables: Record<string, unknown[]>): Promise<void> {
  expect((await store.listExperiments()).map((e) => e.id).sort()).toEqual(tables.experiments.map((e: any) => e.id).sort());
  const digits = await store.getExperiment('exp-digits');
  expect(digits).toMatchObject({ name: 'digits_cnn_int8', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T01:00:00.000Z' });
  const runs = await store.listRuns('exp-digits');
  expect(runs.map((r) => [r.id, r.status])).toEqual([['run-2', 'failed'], ['run-1', 'completed']]);
  expect(runs[1]).toMatchObject({ metrics: { test_acc: 0.912, train_acc: 0.95 }, toml: digits!.toml, stage: null, stages: [] });
  expect((await store.listArtifacts('run-1')).map((a) => [a.name, a.size, a.experimentId])).toEqual([
    ['out/deploy/digits_cnn_int8/firmware.bin', 6, 'exp-digits'],
    ['out/deploy/digits_cnn_int8/model.c', 15, 'exp-digits'],
  ]);
  expect(Array.from(await store.readArtifact('art-bin'))).toEqual([0, 1, 2, 253, 254, 255]);
  expect(new TextDecoder().decode(await store.readArtifact('art-c'))).toBe('int cnn(void);\n');

  // The upgraded database takes new writes, old tables and new ones (v3: the user's datasets).
  const run = await store.createRun({ experimentId: 'exp-har', toml: '' });
  expect((await store.listRuns('exp-har')).map((r) => r.id)).toContain(run.id);
  const library = dexieDatasetLibrary(store.db);
  expect(await library.list()).toEqual([]);
  const gestures = await library.create({ name: 'gestures', modality: 'series', shape: [2, 3], axes: ['x', 'y', 'z'] });
  await library.append(gestures.id, { values: new Float32Array(6), labels: ['wave'] });
  expect((await library.list()).map((d) => [d.name, d.sampleCount])).toEqual([['gestures', 1]]);
}

test.each([1, 2] as const)('a version-%i database opens as the current version with every experiment, run and artifact kept', async (version) => {
  const indexedDB = new IDBFactory();
  const tables = await writeSnapshotDatabase(indexedDB, `mote-v${version}`, version);
  const store = await openDexieStore({ name: `mote-v${version}`, indexedDB, IDBKeyRange });
  expect(store.db.verno).toBe(DEXIE_SCHEMA_VERSION);
  await expectDump(store, version);
  await expectSnapshotKept(store, tables);
  await store.close();
});

test('every schema version has a frozen snapshot, and the newest is the one the store opens', () => {
  const versions = Object.keys(DEXIE_SCHEMAS).map(Number);
  expect(Math.max(...versions)).toBe(DEXIE_SCHEMA_VERSION);
  // A snapshot per released version below the current one: the next version's author freezes this one.
  for (const v of versions.filter((v) => v < DEXIE_SCHEMA_VERSION)) expect(existsSync(join(SAMPLES, `dexie-v${v}`, 'snapshot.json')), `tests/samples/experiments/dexie-v${v}/snapshot.json`).toBe(true);
});

test('a database written by a newer Mote is refused without touching it', async () => {
  const indexedDB = new IDBFactory();
  const future = new Dexie('mote-future', { indexedDB, IDBKeyRange });
  future.version(9).stores({ experiments: 'id' });
  await future.open();
  await future.table('experiments').add({ id: 'kept' });
  future.close();
  await expect(openDexieStore({ name: 'mote-future', indexedDB, IDBKeyRange })).rejects.toBeInstanceOf(StoreFormatError);
  const again = new Dexie('mote-future', { indexedDB, IDBKeyRange });
  again.version(9).stores({ experiments: 'id' });
  expect(await again.table('experiments').toArray()).toEqual([{ id: 'kept' }]);
  again.close();
});

test('a full quota is reported in plain words and loses nothing already saved', async () => {
  const indexedDB = new IDBFactory();
  let full = false;
  const { DexieExperimentStore } = await import('../../src/core/experiments/dexie-store');
  const store = new DexieExperimentStore({ name: 'mote-full', indexedDB, IDBKeyRange });
  // A table whose writes throw QuotaExceededError once the "disk" is full, at the IndexedDB boundary.
  store.db.use({
    stack: 'dbcore',
    name: 'quota-exceeded',
    create: (down) => ({
      ...down,
      table: (name) => {
        const table = down.table(name);
        return {
          ...table,
          mutate: (request) => {
            if (full && request.type !== 'delete' && name !== 'runs') return Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
            return table.mutate(request);
          },
        };
      },
    }),
  });
  await store.open();
  const saved = await store.createExperiment({ name: 'saved', toml: 'a = 1\n' });
  const run = await store.createRun({ experimentId: saved.id, toml: saved.toml });
  full = true;

  const update = store.updateExperiment(saved.id, { toml: 'a = 2\n' });
  await expect(update).rejects.toBeInstanceOf(StorageFullError);
  await expect(update).rejects.toThrow("Could not save the changes to this experiment: this browser's storage for Mote is full. Nothing that was already saved has been lost.");
  await expect(store.createExperiment({ name: 'new', toml: '' })).rejects.toThrow(/Could not save the experiment "new"/);
  // The artifact record and its bytes go in one transaction: a refused byte write leaves no orphan record.
  await expect(store.putArtifact({ runId: run.id, name: 'firmware.bin', kind: 'firmware' }, new Uint8Array(10))).rejects.toThrow(/Could not save the artifact firmware.bin \(10 bytes\)/);

  full = false;
  expect(await store.getExperiment(saved.id)).toMatchObject({ toml: 'a = 1\n', name: 'saved' });
  expect((await store.listExperiments()).map((e) => e.name)).toEqual(['saved']);
  expect(await store.listArtifacts(run.id)).toEqual([]);
  await store.close();
});
