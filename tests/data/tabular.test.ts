// Tables and exported time series: one CSV split into train/test (the import dialog's case), the CSV
// reader's messages on hostile files (tests/samples/hostile/csv), and Edge Impulse's CSV export format
// (tests/samples/data/edge-impulse-export: training/ and testing/ folders, labels from file names and
// info.labels).
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadDataset } from '../../src/core/pipeline/prepare-data';
import { memorySource } from '../../src/core/data/source';
import { nodeFolderSource } from '../../src/core/data/source.node';
import { sniffCsv } from '../../src/core/data/csv-text';
import { labelFromFileName } from '../../src/core/data/kinds/edge-impulse';

const SAMPLES = join(__dirname, '..', 'samples');
const text = (s: string) => new TextEncoder().encode(s);

function irisLike(rows: number): string {
  const species = ['setosa', 'versicolor', 'virginica'];
  return 'sepal_length,sepal_width,species,petal_length\n' + Array.from({ length: rows }, (_, i) => `${(5 + (i % 7) / 10).toFixed(1)},${(3 + (i % 5) / 10).toFixed(1)},${species[i % 3]},${(1 + i / 100).toFixed(2)}`).join('\n') + '\n';
}

describe('one CSV file, a label column and a split', () => {
  test('the import dialog sees the columns, a few rows and a guess of the class column', () => {
    const sniffed = sniffCsv(irisLike(30), 'iris.csv');
    expect(sniffed.header).toEqual(['sepal_length', 'sepal_width', 'species', 'petal_length']);
    expect(sniffed.labelGuess).toBe('species');
    expect(sniffed.numeric).toEqual([true, true, false, true]);
    expect(sniffed.rows).toBe(30);
    expect(sniffed.preview[0]).toEqual(['5.0', '3.0', 'setosa', '1.00']);
  });

  test('test = "" splits the one file per class (seeded, file order kept); any column can be the class', async () => {
    const source = memorySource('picked files', { 'iris.csv': text(irisLike(60)) });
    const bundle = await loadDataset({ kind: 'CSV', params: { train: 'iris.csv', test: '', label: 'species', test_split: 0.25 } }, source);
    expect(bundle.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect([bundle.train.count, bundle.test.count]).toEqual([45, 15]);
    expect(bundle.train.shape).toEqual([3]);
    expect(bundle.axes).toEqual(['sepal_length', 'sepal_width', 'petal_length']);
    expect(Array.from(bundle.test.labels).filter((l) => l === 0)).toHaveLength(5);
    const again = await loadDataset({ kind: 'CSV', params: { train: 'iris.csv', test: '', label: 'species', test_split: 0.25 } }, source);
    expect(Array.from(again.test.x)).toEqual(Array.from(bundle.test.x));
  });

  test('a missing test file explains how to split the one file instead', async () => {
    const source = memorySource('picked files', { 'iris.csv': text(irisLike(10)) });
    await expect(loadDataset({ kind: 'CSV', params: { train: 'iris.csv', label: 'species' } }, source)).rejects.toThrow(`picked files: 'test.csv' not found beside 'iris.csv'; give the test file's name in params.test, or set params.test = "" to split 'iris.csv'`);
  });

  test('ragged rows and non-numbers are refused naming the file, the line and the column', async () => {
    const hostile = nodeFolderSource(join(SAMPLES, 'hostile', 'csv'));
    await expect(loadDataset({ kind: 'CSV', params: { train: 'ragged-rows.csv', test: '', label: 'species' } }, hostile)).rejects.toThrow(
      /ragged-rows\.csv: line 4 has 4 cells, the header \(line 1\) has 5 \(sepal_length, sepal_width, petal_length, petal_width, species\); every row needs one value per column/);
    await expect(loadDataset({ kind: 'CSV', params: { train: 'not-a-number.csv', test: '', label: 'label' } }, hostile)).rejects.toThrow(
      /not-a-number\.csv: line 3, column 'humidity': 'n\/a' is not a number/);
  });
});

describe('Edge Impulse CSV export', () => {
  test('labels come from the file name before its first dot, as the uploader infers them', () => {
    expect(labelFromFileName('training/wave.2c8bh6gr.csv')).toBe('wave');
    expect(labelFromFileName('idle.json.9f.csv')).toBe('idle');
  });

  test('training/ and testing/ give the sets, info.labels overrides a name, the rate comes from the timestamps', async () => {
    const bundle = await loadDataset({ kind: 'EdgeImpulse', params: {} }, nodeFolderSource(join(SAMPLES, 'data', 'edge-impulse-export')));
    expect(bundle.classNames).toEqual(['idle', 'wave']);
    expect(bundle.train.shape).toEqual([20, 3]);
    expect([bundle.train.count, bundle.test.count]).toEqual([13, 4]);
    // idle.zz9wave0.csv is a wave according to info.labels: 6 idle + 7 wave in training.
    expect(Array.from(bundle.train.labels).filter((l) => l === 1)).toHaveLength(7);
    expect(bundle.axes).toEqual(['accX', 'accY', 'accZ']);
    expect(bundle.rateHz).toBeCloseTo(62.5, 6);
    // The first training sample (idle.2c8bh6gr.csv, sorted first): its second reading is "16,0.1,0.06,-9.81".
    expect(Array.from(bundle.train.x.subarray(3, 6))).toEqual([0.1, 0.06, -9.81].map(Math.fround));
  });

  test('an Edge Impulse export zipped keeps the same samples', async () => {
    const { zipSync } = await import('fflate');
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = join(SAMPLES, 'data', 'edge-impulse-export');
    const files: Record<string, Uint8Array> = {};
    for (const set of ['training', 'testing']) for (const f of readdirSync(join(dir, set))) files[`export/${set}/${f}`] = readFileSync(join(dir, set, f));
    const zipped = await loadDataset({ kind: 'EdgeImpulse', params: {} }, memorySource('picked files', { 'export.zip': zipSync(files) }));
    const folder = await loadDataset({ kind: 'EdgeImpulse', params: {} }, nodeFolderSource(dir));
    expect(Array.from(zipped.train.x)).toEqual(Array.from(folder.train.x));
  });

  test('a sample at another rate, another length, or without timestamps is refused naming it', async () => {
    await expect(loadDataset({ kind: 'EdgeImpulse', params: {} }, nodeFolderSource(join(SAMPLES, 'hostile', 'csv', 'edge-impulse-wrong-rate')))).rejects.toThrow(
      /wave\.3\.csv has a reading every 20\.0 ms \(50\.0 \/s\), idle\.0\.csv every 10\.0 ms \(100\.0 \/s\); samples taken at different rates would not cover the same time/);
    const row = (t: number) => `${t * 10},1,2,3`;
    const files = {
      'a.1.csv': text(['timestamp,x,y,z', ...[0, 1, 2, 3].map(row)].join('\n')),
      'b.1.csv': text(['timestamp,x,y,z', ...[0, 1, 2].map(row)].join('\n')),
    };
    await expect(loadDataset({ kind: 'EdgeImpulse', params: {} }, memorySource('picked files', files))).rejects.toThrow("picked files: b.1.csv has 3 readings, a.1.csv has 4; set [dataset] params.steps");
    await expect(loadDataset({ kind: 'EdgeImpulse', params: { steps: 4 } }, memorySource('picked files', files))).rejects.toThrow('b.1.csv has 3 readings, fewer than params.steps = 4');
    await expect(loadDataset({ kind: 'EdgeImpulse', params: {} }, memorySource('picked files', { 'a.1.csv': text('x,y\n1,2\n3,4\n') }))).rejects.toThrow("a.1.csv: the first column is 'x', not 'timestamp'");
  });
});
