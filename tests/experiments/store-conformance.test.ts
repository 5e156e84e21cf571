// Both ExperimentStore adapters must behave the same: the app (Dexie) and the CLI (files) share records.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, test } from 'vitest';
import { openDexieStore } from '../../src/core/experiments/dexie-store';
import { openFilesStore } from '../../src/core/experiments/files-store.node';
import { RecordNotFoundError, type ExperimentStore, type StoreClock } from '../../src/core/experiments/store';

/** Deterministic ids and strictly increasing times, so ordering assertions do not depend on the wall clock. */
function testClock(): StoreClock {
  let tick = 0;
  let id = 0;
  return {
    now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, tick++)).toISOString(),
    newId: () => `id-${String(++id).padStart(4, '0')}`,
  };
}

const folders: string[] = [];
afterEach(() => { for (const f of folders.splice(0)) rmSync(f, { recursive: true, force: true }); });

const adapters: Record<string, () => Promise<ExperimentStore>> = {
  dexie: () => openDexieStore({ name: 'conformance', indexedDB: new IDBFactory(), IDBKeyRange, clock: testClock() }),
  files: () => {
    const root = mkdtempSync(join(tmpdir(), 'mote-store-'));
    folders.push(root);
    return openFilesStore(root, { clock: testClock() });
  },
};

const TOML_A = '[bench]\nname = "digits_cnn"\n';
const TOML_B = '[bench]\nname = "digits_cnn"\nseed = 3\n';

describe.each(Object.keys(adapters))('%s store', (adapter) => {
  test('experiments: create, list newest first, update, duplicate, delete', async () => {
    const store = await adapters[adapter]();
    const first = await store.createExperiment({ name: 'first', toml: TOML_A, source: 'default' });
    const second = await store.createExperiment({ name: 'second', toml: TOML_B });
    expect((await store.listExperiments()).map((e) => e.name)).toEqual(['second', 'first']);

    const edited = await store.updateExperiment(first.id, { toml: TOML_B });
    expect(edited.toml).toBe(TOML_B);
    expect(edited.name).toBe('first');
    expect(edited.createdAt).toBe(first.createdAt);
    expect(edited.updatedAt > second.updatedAt).toBe(true);
    expect((await store.listExperiments()).map((e) => e.name)).toEqual(['first', 'second']);
    // Replacing the whole text with a pasted one says so in `source`; the rest stays.
    const replaced = await store.updateExperiment(first.id, { toml: TOML_B, source: 'pasted text' });
    expect(replaced).toMatchObject({ name: 'first', toml: TOML_B, source: 'pasted text', createdAt: first.createdAt });
    expect((await store.getExperiment(first.id))?.source).toBe('pasted text');

    const copy = await store.duplicateExperiment(first.id);
    expect(copy).toMatchObject({ name: 'first (copy)', toml: TOML_B, source: 'copy of first' });
    expect(copy.id).not.toBe(first.id);
    expect((await store.duplicateExperiment(copy.id)).name).toBe('first (copy 2)');

    await store.deleteExperiment(second.id);
    expect(await store.getExperiment(second.id)).toBeUndefined();
    expect((await store.listExperiments()).map((e) => e.name)).toEqual(['first (copy 2)', 'first (copy)', 'first']);
    await expect(store.updateExperiment(second.id, { name: 'x' })).rejects.toBeInstanceOf(RecordNotFoundError);
    await store.close();
  });

  test('runs and artifacts: saved together, listed per run, deleted with their experiment', async () => {
    const store = await adapters[adapter]();
    const experiment = await store.createExperiment({ name: 'e', toml: TOML_A });
    const other = await store.createExperiment({ name: 'other', toml: TOML_A });
    const run = await store.createRun({ experimentId: experiment.id, toml: TOML_A, stage: 'train' });
    expect(run).toMatchObject({ status: 'running', stage: 'train', toml: TOML_A, metrics: {}, results: null, finishedAt: null });
    const later = await store.createRun({ experimentId: experiment.id, toml: TOML_B });
    const foreign = await store.createRun({ experimentId: other.id, toml: TOML_A });

    const done = await store.updateRun(run.id, { status: 'completed', metrics: { test_acc: 0.93, target_acc: null }, finishedAt: '2026-01-02T00:00:00.000Z' });
    expect(done).toMatchObject({ status: 'completed', stage: 'train', metrics: { test_acc: 0.93, target_acc: null } });
    expect((await store.listRuns(experiment.id)).map((r) => r.id)).toEqual([later.id, run.id]);

    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252]);
    const c = await store.putArtifact({ runId: run.id, name: 'out/deploy/model.c', kind: 'c-source' }, new TextEncoder().encode('int x;\n'));
    const bin = await store.putArtifact({ runId: run.id, name: 'out/deploy/firmware.bin', kind: 'firmware' }, bytes);
    expect(c).toMatchObject({ experimentId: experiment.id, mediaType: 'text/x-c', size: 7 });
    expect(bin.mediaType).toBe('application/octet-stream');
    expect((await store.listArtifacts(run.id)).map((a) => a.name)).toEqual(['out/deploy/firmware.bin', 'out/deploy/model.c']);
    expect(Array.from(await store.readArtifact(bin.id))).toEqual(Array.from(bytes));
    await expect(store.putArtifact({ runId: 'no-such-run', name: 'x.bin', kind: 'other' }, bytes)).rejects.toBeInstanceOf(RecordNotFoundError);

    await store.deleteExperiment(experiment.id);
    expect(await store.listRuns(experiment.id)).toEqual([]);
    expect(await store.getRun(run.id)).toBeUndefined();
    await expect(store.readArtifact(bin.id)).rejects.toBeInstanceOf(RecordNotFoundError);
    expect((await store.listRuns(other.id)).map((r) => r.id)).toEqual([foreign.id]);
    await store.close();
  });

  test("an experiment's own files: kept with it, replaced by name, copied with it, deleted with it, in no run", async () => {
    const store = await adapters[adapter]();
    const experiment = await store.createExperiment({ name: 'onnx', toml: TOML_A });
    const run = await store.createRun({ experimentId: experiment.id, toml: TOML_A });
    await store.putExperimentFile(experiment.id, 'models/net.onnx', new Uint8Array([8, 1]));
    const file = await store.putExperimentFile(experiment.id, 'models/net.onnx', new Uint8Array([8, 2, 3]));
    expect(file).toMatchObject({ experimentId: experiment.id, name: 'models/net.onnx', size: 3 });
    expect((await store.listExperimentFiles(experiment.id)).map((f) => f.name)).toEqual(['models/net.onnx']);
    expect(Array.from(await store.readArtifact(file.id))).toEqual([8, 2, 3]);
    expect(await store.listArtifacts(run.id)).toEqual([]);
    await expect(store.putExperimentFile('no-such-experiment', 'models/x.onnx', new Uint8Array(1))).rejects.toBeInstanceOf(RecordNotFoundError);

    const copy = await store.duplicateExperiment(experiment.id);
    const copied = await store.listExperimentFiles(copy.id);
    expect(copied.map((f) => f.name)).toEqual(['models/net.onnx']);
    expect(Array.from(await store.readArtifact(copied[0].id))).toEqual([8, 2, 3]);

    await store.deleteExperiment(experiment.id);
    expect(await store.listExperimentFiles(experiment.id)).toEqual([]);
    await expect(store.readArtifact(file.id)).rejects.toBeInstanceOf(RecordNotFoundError);
    expect(await store.listExperimentFiles(copy.id)).toHaveLength(1);
    await store.close();
  });
});

test('files store writes readable files and leaves no temporary file behind', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mote-store-'));
  folders.push(root);
  const store = await openFilesStore(root, { clock: testClock() });
  const e = await store.createExperiment({ name: 'readable', toml: TOML_A });
  await store.updateExperiment(e.id, { toml: TOML_B });
  expect(readFileSync(join(root, 'experiments', `${e.id}.toml`), 'utf8')).toBe(TOML_B);
  expect(JSON.parse(readFileSync(join(root, 'store.json'), 'utf8'))).toEqual({ format: 2 });
  const all = ['experiments', 'runs', 'artifacts'].flatMap((d) => readdirSync(join(root, d)));
  expect(all.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  // Reopening reads what is there.
  const again = await openFilesStore(root);
  expect((await again.getExperiment(e.id))?.toml).toBe(TOML_B);
});

test('files store refuses a store written by a newer Mote, saying what to do', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mote-store-'));
  folders.push(root);
  await openFilesStore(root);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(root, 'store.json'), '{"format": 99}');
  await expect(openFilesStore(root)).rejects.toThrow(/store format 99 is not one this Mote reads \(it reads up to 2\); update Mote/);
});

describe.each(Object.keys(adapters))('%s store as a pipeline workspace', (adapter) => {
  test('files written under Qualia paths are run artifacts; writing again replaces', async () => {
    const { runWorkspace } = await import('../../src/core/experiments/run-workspace');
    const store = await adapters[adapter]();
    const experiment = await store.createExperiment({ name: 'w', toml: TOML_A });
    const run = await store.createRun({ experimentId: experiment.id, toml: TOML_A });
    const workspace = runWorkspace(store, run.id);
    expect(await workspace.exists('out/qualia_codegen/m_r1_q8/model.c')).toBe(false);
    await workspace.writeFile('./out/qualia_codegen/m_r1_q8/model.c', 'int a;\n');
    await workspace.writeFile('out/qualia_codegen/m_r1_q8/model.c', 'int b;\n');
    await workspace.writeFile('logs/Digits/results.json', '{}');
    await workspace.writeFile('out/deploy/fw.wasm', new Uint8Array([0, 97, 115, 109]));
    expect(await workspace.readText('out/qualia_codegen/m_r1_q8/model.c')).toBe('int b;\n');
    expect((await store.listArtifacts(run.id)).map((a) => [a.name, a.kind])).toEqual([
      ['logs/Digits/results.json', 'log'],
      ['out/deploy/fw.wasm', 'firmware'],
      ['out/qualia_codegen/m_r1_q8/model.c', 'c-source'],
    ]);
    await expect(workspace.readFile('out/missing.bin')).rejects.toThrow(/out\/missing.bin has not been written by this run/);
    await store.close();
  });

  test("a path the run has not written is read from the experiment's own files; writes stay with the run", async () => {
    const { runWorkspace } = await import('../../src/core/experiments/run-workspace');
    const store = await adapters[adapter]();
    const experiment = await store.createExperiment({ name: 'w', toml: TOML_A });
    await store.putExperimentFile(experiment.id, 'models/net.onnx', new Uint8Array([8, 7]));
    const workspace = runWorkspace(store, (await store.createRun({ experimentId: experiment.id, toml: TOML_A })).id);
    expect(await workspace.exists('./models/net.onnx')).toBe(true);
    expect(Array.from(await workspace.readFile('models/net.onnx'))).toEqual([8, 7]);
    await workspace.writeFile('models/net.onnx', new Uint8Array([1]));
    expect(Array.from(await workspace.readFile('models/net.onnx'))).toEqual([1]);
    expect(Array.from(await store.readArtifact((await store.listExperimentFiles(experiment.id))[0].id))).toEqual([8, 7]);
    await store.close();
  });
});
