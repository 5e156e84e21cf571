// Comlink entry point: imports a dataset (original files or the built-in Digits) and runs [[preprocessing]]
// off the main thread, returning what the Data page shows: set sizes, class counts and a few sample previews.
// The bundle stays here until the training worker asks for it (transferred, not copied).
import * as Comlink from 'comlink';
import { toTransferable, type DataBundle } from '../core/data/bundle';
import type { DataProgress } from '../core/data/kind';
import { datasetNeedsFiles, preprocessData, summarizeBundle, type BundleSummary, type PreprocessSpec } from '../core/pipeline/prepare-data';
import { fileListSource } from '../core/data/source.browser';
import { samplePreview, type SamplePreview } from '../core/data/sample-preview';
import type { DatasetLibrary } from '../core/data/library';
import { openDexieStore } from '../core/experiments/dexie-store';
import { DexieDatasetLibrary } from '../core/experiments/dexie-datasets';

export type { SamplePreview };

export interface DataResult { summary: BundleSummary; previews: SamplePreview[] }

let bundle: DataBundle | undefined;
let library: Promise<DatasetLibrary | undefined> | undefined;

/** The app's recorded datasets (kind Recorded reads them); the worker opens the same IndexedDB as the page. */
function datasetLibrary(): Promise<DatasetLibrary | undefined> {
  library ??= openDexieStore().then((store) => new DexieDatasetLibrary(store.db), () => undefined);
  return library;
}

const api = {
  needsFiles(kind: string): boolean {
    return datasetNeedsFiles(kind);
  },

  async preprocess(spec: PreprocessSpec, files: { path: string; file: File }[], onProgress?: (update: DataProgress) => void): Promise<DataResult> {
    bundle = undefined;
    const source = files.length ? fileListSource(files.map(({ path, file }) => new File([file], path, { type: file.type }))) : undefined;
    const result = await preprocessData(spec, source, onProgress, { library: await datasetLibrary() });
    bundle = result;
    const test = result.test;
    const picks = Array.from({ length: Math.min(12, test.count) }, (_, i) => Math.floor((i * test.count) / Math.min(12, test.count)));
    const previews = picks.map((i) => samplePreview(test, i, 'test', result.classNames));
    return Comlink.transfer({ summary: summarizeBundle(result), previews }, previews.map((p) => p.data.buffer as ArrayBuffer));
  },

  /** Hands the last preprocessed bundle over (for training); it leaves this worker. */
  takeBundle() {
    if (!bundle) throw new Error('No preprocessed data: run the data stage first.');
    const { message, transfer } = toTransferable(bundle);
    bundle = undefined;
    return Comlink.transfer(message, transfer);
  },
};

export type DataWorkerApi = typeof api;
Comlink.expose(api);
