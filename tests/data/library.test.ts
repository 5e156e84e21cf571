// The user's own datasets in the app's IndexedDB (fake-indexeddb here, the same Dexie code as the browser):
// recording one window at a time, chunking, deleting a recording, importing a loaded set, a full disk, and
// the Recorded dataset kind that experiments use.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, test } from 'vitest';
import { openDexieStore } from '../../src/core/experiments/dexie-store';
import { dexieDatasetLibrary } from '../../src/core/experiments/dexie-datasets';
import { StorageFullError } from '../../src/core/experiments/store';
import { assignSet, datasetNameProblem, freeDatasetName, readAllSamples, samplesPerChunk } from '../../src/core/data/library';
import { makeSet } from '../../src/core/data/bundle';
import { loadDataset } from '../../src/core/pipeline/prepare-data';

let clockTick = 0;
const clock = { now: () => new Date(Date.UTC(2026, 0, 1) + 1000 * clockTick++).toISOString(), newId: () => `id-${clockTick++}` };

async function openLibrary(options: { quotaFull?: () => boolean; estimate?: () => Promise<{ usage?: number; quota?: number }> } = {}) {
  const indexedDB = new IDBFactory();
  const store = await openDexieStore({ name: 'mote', indexedDB, IDBKeyRange, clock });
  if (options.quotaFull) {
    const full = options.quotaFull;
    store.db.close();
    store.db.use({
      stack: 'dbcore', name: 'quota-exceeded',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          return { ...table, mutate: (request) => (full() && request.type !== 'delete' && name === 'datasetChunks' ? Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')) : table.mutate(request)) };
        },
      }),
    });
    await store.db.open();
  }
  return { store, library: dexieDatasetLibrary(store.db, { clock, estimate: options.estimate }) };
}

/** A window of `steps` readings of 3 axes whose values encode (window, step, axis). */
function window(id: number, steps = 4): Float32Array {
  return Float32Array.from({ length: steps * 3 }, (_, i) => id * 100 + Math.floor(i / 3) + (i % 3) / 10);
}

describe('the dataset library', () => {
  test('names: what experiments can refer to, explained when refused', () => {
    expect(datasetNameProblem('gestures_2-left')).toBeUndefined();
    expect(datasetNameProblem('my gestures')).toMatch(/use letters, digits, '_' and '-'/);
    expect(datasetNameProblem('')).toBe('a dataset needs a name');
    expect(freeDatasetName('my gestures!', ['my-gestures'])).toBe('my-gestures-2');
  });

  test('every 5th recording of a class goes to test, and a sample never changes set as more are recorded', () => {
    let train = 0;
    let test = 0;
    const sets = Array.from({ length: 12 }, () => { const s = assignSet(train, test); if (s === 'test') test++; else train++; return s; });
    expect(sets.map((s) => (s === 'test' ? 'T' : '.')).join('')).toBe('....T....T..');
  });

  test('recordings append one window at a time across chunk boundaries and read back in order', async () => {
    const { library, store } = await openLibrary();
    const steps = 30_000; // 360 kB per window: 2 windows per 1 MiB chunk
    expect(samplesPerChunk([steps, 3], 'float32')).toBe(2);
    const info = await library.create({ name: 'gestures', modality: 'series', shape: [steps, 3], axes: ['accX', 'accY', 'accZ'], rateHz: 100, source: 'test' });
    const labels = ['wave', 'idle', 'wave', 'wave', 'idle'];
    let current = info;
    for (const [i, label] of labels.entries()) current = await library.append(info.id, { values: window(i, steps), labels: [label] });
    expect(current).toMatchObject({ classNames: ['wave', 'idle'], sampleCount: 5, chunkCount: 3, nextSerial: 6 });
    const samples = await readAllSamples(library, current);
    expect(Array.from(samples.serials)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(samples.labels)).toEqual([0, 1, 0, 0, 1]);
    for (let i = 0; i < 5; i++) expect(samples.values[i * steps * 3 + 4]).toBeCloseTo(window(i, steps)[4], 4);
    await store.close();
  });

  test('deleting a recording keeps the others, their serials and the counts right', async () => {
    const { library } = await openLibrary();
    const info = await library.create({ name: 'g', modality: 'series', shape: [4, 3] });
    for (let i = 0; i < 10; i++) await library.append(info.id, { values: window(i), labels: [i % 2 ? 'b' : 'a'] });
    const before = (await library.find('g'))!;
    expect(before.counts).toEqual({ train: [4, 4], test: [1, 1] });
    const after = await library.deleteSamples(info.id, [1, 9]);
    expect(after).toMatchObject({ sampleCount: 8, nextSerial: 11 });
    const samples = await readAllSamples(library, after);
    expect(Array.from(samples.serials)).toEqual([2, 3, 4, 5, 6, 7, 8, 10]);
    expect(after.counts.train.reduce((a, b) => a + b) + after.counts.test.reduce((a, b) => a + b)).toBe(8);
  });

  test('a name is unique, a renamed dataset is found by its new name, a deleted one is gone with its chunks', async () => {
    const { library, store } = await openLibrary();
    const a = await library.create({ name: 'a', modality: 'table', shape: [2] });
    await expect(library.create({ name: 'a', modality: 'table', shape: [2] })).rejects.toThrow("a dataset named 'a' exists already");
    await library.append(a.id, { values: new Float32Array([1, 2]), labels: ['x'] });
    await library.rename(a.id, 'b');
    expect(await library.find('a')).toBeUndefined();
    expect((await library.find('b'))?.sampleCount).toBe(1);
    await library.delete(a.id);
    expect(await library.list()).toEqual([]);
    expect(await store.db.datasetChunks.count()).toBe(0);
  });

  test('a sample of the wrong size or type is refused with the shapes, and nothing is stored', async () => {
    const { library } = await openLibrary();
    const info = await library.create({ name: 'g', modality: 'series', shape: [4, 3] });
    await expect(library.append(info.id, { values: new Float32Array(11), labels: ['a'] })).rejects.toThrow("dataset 'g': 1 sample(s) of shape [4, 3] need 12 values, got 11");
    await expect(library.append(info.id, { values: new Uint8Array(12), labels: ['a'] })).rejects.toThrow('stores float32 values');
    expect((await library.find('g'))?.sampleCount).toBe(0);
  });

  test('a full disk refuses the recording in plain words, with its size, and keeps everything saved before', async () => {
    let full = false;
    const { library } = await openLibrary({ quotaFull: () => full, estimate: async () => ({ usage: 2e9, quota: 2e9 }) });
    const info = await library.create({ name: 'g', modality: 'series', shape: [4, 3] });
    await library.append(info.id, { values: window(1), labels: ['a'] });
    full = true;
    const refused = library.append(info.id, { values: window(2), labels: ['a'] });
    await expect(refused).rejects.toBeInstanceOf(StorageFullError);
    await expect(refused).rejects.toThrow("Could not save 1 sample (57 B) to 'g': it needs 57 B and this browser's storage for Mote is full (2.0 GB of the 2.0 GB this browser allows Mote are in use). Nothing that was already saved has been lost; the new samples are still on this page.");
    full = false;
    const kept = (await library.find('g'))!;
    expect(kept.sampleCount).toBe(1);
    expect(Array.from((await readAllSamples(library, kept)).values)).toEqual(Array.from(window(1)));
  });

  test('an import that does not fit is refused before writing; one that fills the disk half-way leaves nothing', async () => {
    const train = makeSet(new Uint8Array(3000 * 64).map((_, i) => i % 251), [8, 8, 1], Int32Array.from({ length: 3000 }, (_, i) => i % 3));
    const test = makeSet(new Uint8Array(30 * 64), [8, 8, 1], new Int32Array(30));
    const bundle = { name: 'x', train, test, classNames: ['a', 'b', 'c'] };
    const tight = await openLibrary({ estimate: async () => ({ usage: 1000, quota: 100_000 }) });
    await expect(tight.library.importBundle({ name: 'pics', modality: 'image', shape: [8, 8, 1] }, bundle)).rejects.toThrow("Could not save the dataset 'pics' (3030 samples): it needs 221 kB and this browser's storage for Mote is full (1 kB of the 100 kB this browser allows Mote are in use). Nothing that was already saved has been lost; nothing of this import was written.");
    expect(await tight.store.db.datasets.count()).toBe(0);

    let writes = 0;
    const flaky = await openLibrary({ quotaFull: () => ++writes > 3 });
    const big = makeSet(new Uint8Array(40_000 * 64), [8, 8, 1], new Int32Array(40_000));
    await expect(flaky.library.importBundle({ name: 'pics', modality: 'image', shape: [8, 8, 1] }, { ...bundle, train: big })).rejects.toThrow(/samples of this import written so far were removed again/);
    expect(await flaky.store.db.datasets.count()).toBe(0);
    expect(await flaky.store.db.datasetChunks.count()).toBe(0);
  });

  test('an imported set keeps its train/test split; Recorded loads it as the pipeline sees it', async () => {
    const { library } = await openLibrary();
    const train = makeSet(Uint8Array.from({ length: 6 * 4 }, (_, i) => i), [2, 2, 1], Int32Array.from([0, 1, 0, 1, 0, 1]));
    const test = makeSet(Uint8Array.from({ length: 2 * 4 }, (_, i) => 200 + i), [2, 2, 1], Int32Array.from([1, 0]));
    const info = await library.importBundle({ name: 'pics', modality: 'image', shape: [2, 2, 1], source: 'folder pics/' }, { name: 'ImageFolder', train, test, classNames: ['cat', 'dog'] });
    expect(info).toMatchObject({ state: 'ready', sampleCount: 8, counts: { train: [3, 3], test: [1, 1] } });
    const bundle = await loadDataset({ kind: 'Recorded', params: { name: 'pics' } }, undefined, undefined, { library });
    expect(bundle.name).toBe('Recorded_pics');
    expect(bundle.classNames).toEqual(['cat', 'dog']);
    expect(bundle.train.x).toBeInstanceOf(Uint8Array);
    expect(Array.from(bundle.train.x)).toEqual(Array.from(train.x));
    expect(Array.from(bundle.test.x)).toEqual(Array.from(test.x));
    expect(Array.from(bundle.test.labels)).toEqual([1, 0]);
  });

  test('Recorded audio comes back in [-1, 1) as GSC gives it; 16-bit PCM round-trips exactly', async () => {
    const { library } = await openLibrary();
    const info = await library.create({ name: 'words', modality: 'audio', shape: [4, 1], rateHz: 16000 });
    const pcm = Int16Array.from([-32768, -1, 0, 32767]);
    for (let i = 0; i < 5; i++) await library.append(info.id, { values: pcm, labels: ['yes'] });
    const bundle = await loadDataset({ kind: 'Recorded', params: { name: 'words' } }, undefined, undefined, { library });
    expect(Array.from(bundle.test.x)).toEqual([-1, -1 / 32768, 0, 32767 / 32768]);
    expect(bundle.train.count).toBe(4);
  });

  test('Recorded explains a missing name, an empty set and the CLI (no library)', async () => {
    const { library } = await openLibrary();
    await expect(loadDataset({ kind: 'Recorded', params: { name: 'nope' } }, undefined, undefined, { library })).rejects.toThrow("no dataset named 'nope' on the Data page (none is stored yet: record or import one there)");
    const info = await library.create({ name: 'few', modality: 'table', shape: [1] });
    await expect(loadDataset({ kind: 'Recorded', params: { name: 'few' } }, undefined, undefined, { library })).rejects.toThrow("dataset 'few' has no samples yet");
    await library.append(info.id, { values: new Float32Array([1, 2]), labels: ['a', 'b'] });
    await expect(loadDataset({ kind: 'Recorded', params: { name: 'few' } }, undefined, undefined, { library })).rejects.toThrow("dataset 'few' has 2 training and 0 test samples; both are needed");
    await expect(loadDataset({ kind: 'Recorded', params: { name: 'nope' } }, undefined)).rejects.toThrow("lives in the app's browser storage, which is not available here");
    await expect(loadDataset({ kind: 'Recorded', params: { name: 'nope' } }, undefined, undefined, { library })).rejects.toThrow("the stored datasets are 'few'");
  });
});
