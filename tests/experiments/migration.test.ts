// Every released Dexie schema has a frozen snapshot under tests/samples/experiments/dexie-v<N>/; opening it with
// today's store must upgrade every record without losing any (cf. tldraw's migration tests on real snapshots).
// Regenerate the expected file only for a deliberate change: MOTE_UPDATE_SAMPLES=1 npx vitest run tests/experiments
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { expect, test } from 'vitest';
import { DEXIE_SCHEMAS, openDexieStore } from '../../src/core/experiments/dexie-store';
import { StorageFullError, StoreFormatError } from '../../src/core/experiments/store';

const SAMPLES = join(__dirname, '..', 'samples', 'experiments');

function reviveBytes(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && '$bytes' in value) return new Uint8Array(Buffer.from((value as { $bytes: string }).$bytes, 'base64'));
  return value;
}
function encodeBytes(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value;
}

async function writeV1Database(indexedDB: IDBFactory, name: string): Promise<Record<string, unknown[]>> {
  const snapshot = JSON.parse(readFileSync(join(SAMPLES, 'dexie-v1', 'snapshot.json'), 'utf8'), reviveBytes);
  expect(snapshot.schemaVersion).toBe(1);
  const v1 = new Dexie(name, { indexedDB, IDBKeyRange });
  v1.version(1).stores(DEXIE_SCHEMAS[1]);
  await v1.open();
  for (const [table, rows] of Object.entries(snapshot.tables as Record<string, unknown[]>)) await v1.table(table).bulkAdd(rows);
  v1.close();
  return snapshot.tables;
}

test('a version-1 database opens as version 2 with every experiment, run and artifact kept', async () => {
  const indexedDB = new IDBFactory();
  const v1 = await writeV1Database(indexedDB, 'mote-v1');
  const store = await openDexieStore({ name: 'mote-v1', indexedDB, IDBKeyRange });
  expect(store.db.verno).toBe(2);

  const dump: Record<string, unknown[]> = {};
  for (const table of store.db.tables.map((t) => t.name).sort()) dump[table] = await store.db.table(table).orderBy(':id').toArray();
  const expectedPath = join(SAMPLES, 'dexie-v1', '_expected', 'v2.json');
  const actual = JSON.stringify(dump, encodeBytes, 2) + '\n';
  if (process.env.MOTE_UPDATE_SAMPLES || !existsSync(expectedPath)) writeFileSync(expectedPath, actual);
  expect(actual).toBe(readFileSync(expectedPath, 'utf8'));

  // Nothing lost, through the public API as the app reads it.
  expect((await store.listExperiments()).map((e) => e.id).sort()).toEqual(v1.experiments.map((e: any) => e.id).sort());
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

  // The upgraded database takes new writes.
  const run = await store.createRun({ experimentId: 'exp-har', toml: '' });
  expect((await store.listRuns('exp-har')).map((r) => r.id)).toContain(run.id);
  await store.close();
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
