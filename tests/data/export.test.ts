// Exports of stored datasets, each read back by the kind that reads that format, to the same values:
// series → CSV and an Edge Impulse zip (EdgeImpulse kind), pictures → PNG class folders (ImageFolder),
// tables → train.csv/test.csv (CSV), sound → WAV class folders (readWav).
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { openDexieStore } from '../../src/core/experiments/dexie-store';
import { dexieDatasetLibrary } from '../../src/core/experiments/dexie-datasets';
import { readAllSamples, type DatasetInfo } from '../../src/core/data/library';
import { exportDataset, exportFormats, float32Text, folderName } from '../../src/core/data/export';
import { loadDataset } from '../../src/core/pipeline/prepare-data';
import { memorySource } from '../../src/core/data/source';
import { readWav } from '../../src/core/data/wav';
import type { DataSet } from '../../src/core/data/bundle';

async function library() {
  const store = await openDexieStore({ name: 'mote', indexedDB: new IDBFactory(), IDBKeyRange });
  return dexieDatasetLibrary(store.db);
}

/** Samples of a set as (class name → sorted list of value arrays), independent of class order. */
function byClass(set: DataSet, classNames: string[]): Record<string, string[]> {
  const size = set.shape.reduce((a, b) => a * b, 1);
  const out: Record<string, string[]> = {};
  for (let i = 0; i < set.count; i++) (out[classNames[set.labels[i]]] ??= []).push(Array.from(set.x.subarray(i * size, (i + 1) * size)).join(' '));
  for (const list of Object.values(out)) list.sort();
  return out;
}

async function exportedBack(info: DatasetInfo, lib: Awaited<ReturnType<typeof library>>, format: string, kind: string, params: Record<string, unknown> = {}) {
  const samples = await readAllSamples(lib, info);
  const file = exportDataset(info, samples, format);
  const original = await loadDataset({ kind: 'Recorded', params: { name: info.name } }, undefined, undefined, { library: lib });
  const back = await loadDataset({ kind, params }, memorySource('picked files', { [file.name]: file.bytes }));
  return { file, original, back };
}

describe('exports read back exactly', () => {
  test('float32 values are written with the fewest digits that read back the same', () => {
    for (const v of [0.1, -9.81, 1 / 3, 3.4e38, 1e-30, 123456789, 0]) {
      const f = Math.fround(v);
      expect(Math.fround(Number(float32Text(f)))).toBe(f);
    }
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
    expect(folderName('a/b: "c"')).toBe('a_b_ _c_');
  });

  test('time series: the Edge Impulse zip reads back with the EdgeImpulse kind, sets and values kept', async () => {
    const lib = await library();
    const info0 = await lib.create({ name: 'gestures', modality: 'series', shape: [5, 3], axes: ['accX', 'accY', 'accZ'], rateHz: 62.5 });
    for (let i = 0; i < 12; i++) {
      await lib.append(info0.id, { values: Float32Array.from({ length: 15 }, (_, k) => Math.fround(Math.sin(i * 15 + k) * 9.81)), labels: [i % 2 ? 'wave' : 'idle'] });
    }
    const info = (await lib.find('gestures'))!;
    expect(exportFormats(info).map((f) => f.id)).toEqual(['csv', 'edge-impulse']);
    const { file, original, back } = await exportedBack(info, lib, 'edge-impulse', 'EdgeImpulse');
    expect(Object.keys(unzipSync(file.bytes))[0]).toMatch(/^gestures\/training\/idle\.1\.csv$/);
    expect(back.rateHz).toBeCloseTo(62.5, 6);
    expect(back.axes).toEqual(['accX', 'accY', 'accZ']);
    expect(byClass(back.train, back.classNames)).toEqual(byClass(original.train, original.classNames));
    expect(byClass(back.test, back.classNames)).toEqual(byClass(original.test, original.classNames));
  });

  test('time series: one CSV with a row per reading', async () => {
    const lib = await library();
    const info0 = await lib.create({ name: 'g', modality: 'series', shape: [2, 2], axes: ['x', 'y'], rateHz: 50 });
    await lib.append(info0.id, { values: Float32Array.from([0.5, -1, 0.25, 2]), labels: ['a "quoted", label'] });
    const info = (await lib.find('g'))!;
    const csv = new TextDecoder().decode(exportDataset(info, await readAllSamples(lib, info), 'csv').bytes);
    expect(csv).toBe('sample,set,label,timestamp,x,y\n1,train,"a ""quoted"", label",0,0.5,-1\n1,train,"a ""quoted"", label",20,0.25,2\n');
  });

  test('pictures: PNG class folders read back by ImageFolder to the same bytes', async () => {
    const lib = await library();
    const info0 = await lib.create({ name: 'pics', modality: 'image', shape: [3, 4, 1] });
    for (let i = 0; i < 10; i++) await lib.append(info0.id, { values: Uint8Array.from({ length: 12 }, (_, k) => (i * 31 + k * 17) % 256), labels: [i % 2 ? 'cat' : 'dog'] });
    const info = (await lib.find('pics'))!;
    const { back, original } = await exportedBack(info, lib, 'png-zip', 'ImageFolder', { color: 'grayscale' });
    expect(back.train.shape).toEqual([3, 4, 1]);
    expect(byClass(back.train, back.classNames)).toEqual(byClass(original.train, original.classNames));
    expect(byClass(back.test, back.classNames)).toEqual(byClass(original.test, original.classNames));
  });

  test('tables: train.csv and test.csv read back by the CSV kind', async () => {
    const lib = await library();
    const info0 = await lib.create({ name: 'iris', modality: 'table', shape: [2], axes: ['petal_length', 'petal_width'] });
    for (let i = 0; i < 10; i++) await lib.append(info0.id, { values: Float32Array.from([i / 10, Math.fround(Math.PI * i)]), labels: [i < 5 ? 'setosa' : 'virginica'] });
    const info = (await lib.find('iris'))!;
    const { back, original } = await exportedBack(info, lib, 'csv-zip', 'CSV');
    expect(byClass(back.train, back.classNames)).toEqual(byClass(original.train, original.classNames));
    expect(byClass(back.test, back.classNames)).toEqual(byClass(original.test, original.classNames));
  });

  test('sound: 16-bit WAVs at the dataset rate, samples exact', async () => {
    const lib = await library();
    const info0 = await lib.create({ name: 'words', modality: 'audio', shape: [4, 1], rateHz: 16000 });
    await lib.append(info0.id, { values: Int16Array.from([-32768, -1, 0, 32767]), labels: ['yes'] });
    const info = (await lib.find('words'))!;
    const files = unzipSync(exportDataset(info, await readAllSamples(lib, info), 'wav-zip').bytes);
    expect(Object.keys(files)).toEqual(['words/train/yes/00001.wav']);
    expect(readWav(files['words/train/yes/00001.wav'], 'x')).toEqual({ sampleRate: 16000, samples: Int16Array.from([-32768, -1, 0, 32767]) });
  });
});
