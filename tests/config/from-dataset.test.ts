// "New experiment from this dataset": for each kind of data, the TOML written (golden files under
// tests/samples/from-dataset/) is a valid Qualia-schema experiment whose preprocessing runs on that data and
// whose model builds for the shape it produces, small enough for a microcontroller.
// Regenerate the golden files only for a deliberate change: MOTE_UPDATE_SAMPLES=1 npx vitest run tests/config/from-dataset
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { expect, test } from 'vitest';
import { experimentFromDataset } from '../../src/core/config/from-dataset';
import { loadExperiment } from '../../src/core/config/load';
import { openDexieStore } from '../../src/core/experiments/dexie-store';
import { dexieDatasetLibrary } from '../../src/core/experiments/dexie-datasets';
import type { DatasetModality, StoredValues } from '../../src/core/data/library';
import { preprocessData } from '../../src/core/pipeline/prepare-data';
import { modelKinds } from '../../src/core/models/registry';
import type { ModelKind } from '../../src/core/models/builder';

const SAMPLES = join(__dirname, '..', 'samples', 'from-dataset');

const cases: { name: string; modality: DatasetModality; shape: number[]; axes?: string[]; rateHz?: number; model: string; input: number[] }[] = [
  { name: 'gestures', modality: 'series', shape: [50, 3], axes: ['accX', 'accY', 'accZ'], rateHz: 50, model: 'CNN', input: [50, 3] },
  { name: 'taps', modality: 'series', shape: [8, 6], rateHz: 100, model: 'MLP', input: [8, 6] },
  { name: 'faces', modality: 'image', shape: [32, 32, 1], model: 'CNN', input: [32, 32, 1] },
  { name: 'fruit', modality: 'image', shape: [12, 16, 3], model: 'CNN', input: [12, 16, 3] },
  { name: 'yes-no', modality: 'audio', shape: [16000, 1], rateHz: 16000, model: 'CNN', input: [51, 10] },
  { name: 'iris', modality: 'table', shape: [4], axes: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], model: 'MLP', input: [4] },
];

function values(modality: DatasetModality, length: number, seed: number): StoredValues {
  if (modality === 'image') return Uint8Array.from({ length }, (_, i) => (i * 13 + seed * 7) % 256);
  if (modality === 'audio') return Int16Array.from({ length }, (_, i) => Math.round(Math.sin(i * (0.05 + seed * 0.01)) * 8000));
  return Float32Array.from({ length }, (_, i) => Math.sin(i + seed));
}

test.each(cases)('$modality [$shape] → $model on [$input]', async ({ name, modality, shape, axes, rateHz, model, input }) => {
  const library = dexieDatasetLibrary((await openDexieStore({ name: 'mote', indexedDB: new IDBFactory(), IDBKeyRange })).db);
  const created = await library.create({ name, modality, shape, axes, rateHz });
  const size = shape.reduce((a, b) => a * b, 1);
  for (let i = 0; i < 10; i++) await library.append(created.id, { values: values(modality, size, i), labels: [i % 2 ? 'b' : 'a'] });
  const info = (await library.find(name))!;
  const draft = experimentFromDataset(info);

  const path = join(SAMPLES, `${name}.toml`);
  if (process.env.MOTE_UPDATE_SAMPLES || !existsSync(path)) writeFileSync(path, draft.toml);
  expect(draft.toml).toBe(readFileSync(path, 'utf8'));

  const { experiment, diagnostics } = loadExperiment(draft.toml, { file: `${name}.toml` });
  expect(diagnostics).toEqual([]);
  expect(experiment!.dataset).toMatchObject({ kind: 'Recorded', params: { name } });
  expect(experiment!.bench.name).toBe(draft.name);

  const bundle = await preprocessData({ dataset: experiment!.dataset, preprocessing: experiment!.preprocessing, seed: experiment!.bench.seed }, undefined, undefined, { library });
  expect(bundle.train.shape).toEqual(input);
  const spec = experiment!.model[0];
  expect(spec.kind).toBe(model);
  const { input_shape: _i, output_shape: _o, quant_params: _q, ...params } = spec.params;
  const graph = (modelKinds as Record<string, ModelKind>)[spec.kind].build(params, bundle.train.shape, bundle.classNames.length, spec.name);
  const weights = Object.values(graph.weights).reduce((n, w) => n + (w as { data: ArrayLike<number> }).data.length, 0);
  expect(weights).toBeGreaterThan(50);
  expect(weights).toBeLessThan(60_000); // a few tens of kB at int8: fits a microcontroller
});
