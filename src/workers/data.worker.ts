// Comlink entry point: imports a dataset (original files or the built-in Digits) and runs [[preprocessing]]
// off the main thread, returning what the Data page shows: set sizes, class counts and a few sample previews.
// The bundle stays here until the training worker asks for it (transferred, not copied).
import * as Comlink from 'comlink';
import { toTransferable, type DataBundle, type DataSet } from '../core/data/bundle';
import type { DataProgress } from '../core/data/kind';
import { datasetNeedsFiles, preprocessData, summarizeBundle, type BundleSummary, type PreprocessSpec } from '../core/pipeline/prepare-data';
import { fileListSource } from '../core/data/source.browser';

export interface SamplePreview {
  set: string;
  label: string;
  kind: 'image' | 'series' | 'vector';
  /** image: [height, width]; series: [steps, channels]; vector: [features]. */
  shape: number[];
  /** image: RGBA bytes; series and vector: the values. */
  data: Uint8ClampedArray | Float32Array;
}

export interface DataResult { summary: BundleSummary; previews: SamplePreview[] }

let bundle: DataBundle | undefined;

function preview(set: DataSet, index: number, setName: string, classNames: string[]): SamplePreview {
  const size = set.shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from(set.x.subarray(index * size, (index + 1) * size));
  const label = classNames[set.labels[index]] ?? String(set.labels[index]);
  const [h, w, c] = set.shape;
  if (set.shape.length === 3 && (c === 1 || c === 3)) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
    const scale = max > min ? 255 / (max - min) : 0;
    const rgba = new Uint8ClampedArray(h * w * 4);
    for (let p = 0; p < h * w; p++) {
      for (let k = 0; k < 3; k++) rgba[p * 4 + k] = (values[p * c + (c === 3 ? k : 0)] - min) * scale;
      rgba[p * 4 + 3] = 255;
    }
    return { set: setName, label, kind: 'image', shape: [h, w], data: rgba };
  }
  if (set.shape.length === 2) return { set: setName, label, kind: 'series', shape: [...set.shape], data: values };
  return { set: setName, label, kind: 'vector', shape: [size], data: values };
}

const api = {
  needsFiles(kind: string): boolean {
    return datasetNeedsFiles(kind);
  },

  async preprocess(spec: PreprocessSpec, files: { path: string; file: File }[], onProgress?: (update: DataProgress) => void): Promise<DataResult> {
    bundle = undefined;
    const source = files.length ? fileListSource(files.map(({ path, file }) => new File([file], path, { type: file.type }))) : undefined;
    const result = await preprocessData(spec, source, onProgress);
    bundle = result;
    const test = result.test;
    const picks = Array.from({ length: Math.min(12, test.count) }, (_, i) => Math.floor((i * test.count) / Math.min(12, test.count)));
    const previews = picks.map((i) => preview(test, i, 'test', result.classNames));
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
