// Saves and loads a preprocessed bundle in Qualia's layout: out/data/<dataset name>/<set>/data.npy and
// labels.npy (one-hot float32 [N, classes] after Class2BinMatrix, as Qualia writes them; int32 indices
// otherwise), plus Mote's small meta.json (class names, shapes). Files are written under a temporary name
// and renamed, so an interrupted save leaves no half-written set.

import { mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputFileError } from '../base/errors';
import type { DataBundle, DataSet, SetName } from './bundle';
import { makeSet, oneHotLabels, setsOf } from './bundle';
import { readNpy, writeNpy } from './npy';

export const BUNDLE_CACHE_FORMAT_VERSION = 1;

interface CacheMeta {
  formatVersion: number;
  name: string;
  classNames: string[];
  oneHot: boolean;
  sets: Partial<Record<SetName, { count: number; shape: number[] }>>;
}

async function writeAtomic(path: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, bytes);
  await rename(temp, path);
}

export function bundleCacheDir(outDir: string, name: string): string {
  return join(outDir, 'data', name);
}

/** Writes the bundle under `<outDir>/data/<bundle.name>/`; returns that folder. */
export async function saveBundle(bundle: DataBundle, outDir = 'out'): Promise<string> {
  const dir = bundleCacheDir(outDir, bundle.name);
  const meta: CacheMeta = { formatVersion: BUNDLE_CACHE_FORMAT_VERSION, name: bundle.name, classNames: bundle.classNames, oneHot: bundle.oneHot ?? false, sets: {} };
  await rm(join(dir, 'meta.json'), { force: true }); // the cache is invalid until the new meta.json lands
  for (const [name, set] of setsOf(bundle)) {
    await mkdir(join(dir, name), { recursive: true });
    const data = set.x instanceof Uint8Array
      ? writeNpy({ dtype: 'uint8', shape: [set.count, ...set.shape], data: set.x })
      : writeNpy({ dtype: 'float32', shape: [set.count, ...set.shape], data: set.x });
    const labels = bundle.oneHot
      ? writeNpy({ dtype: 'float32', shape: [set.count, bundle.classNames.length], data: oneHotLabels(set.labels, bundle.classNames.length) })
      : writeNpy({ dtype: 'int32', shape: [set.count], data: set.labels });
    await writeAtomic(join(dir, name, 'data.npy'), data);
    await writeAtomic(join(dir, name, 'labels.npy'), labels);
    meta.sets[name] = { count: set.count, shape: set.shape };
  }
  await writeAtomic(join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  return dir;
}

function labelsFrom(array: ReturnType<typeof readNpy>, label: string, count: number): Int32Array {
  if (array.shape[0] !== count) throw new InputFileError(`${label}: ${array.shape[0]} labels for ${count} samples`);
  if (array.shape.length === 1) {
    if (array.dtype === 'int32') return array.data;
    if (array.dtype === 'int64') return Int32Array.from(array.data, (v) => Number(v));
    return Int32Array.from(array.data as ArrayLike<number>, (v) => Math.round(v));
  }
  if (array.shape.length === 2 && array.dtype !== 'int64') {
    const classes = array.shape[1];
    const data = array.data as ArrayLike<number>;
    return Int32Array.from({ length: count }, (_, i) => {
      let best = 0;
      for (let c = 1; c < classes; c++) if (data[i * classes + c] > data[i * classes + best]) best = c;
      return best;
    });
  }
  throw new InputFileError(`${label}: labels must be [N] class indices or [N, classes] one-hot, got shape (${array.shape.join(', ')})`);
}

/** Loads a bundle saved by saveBundle; undefined when there is no complete cache for `name`. */
export async function loadBundle(name: string, outDir = 'out'): Promise<DataBundle | undefined> {
  const dir = bundleCacheDir(outDir, name);
  const metaPath = join(dir, 'meta.json');
  if (!existsSync(metaPath)) return undefined;
  const meta = JSON.parse(await readFile(metaPath, 'utf8')) as CacheMeta;
  if (meta.formatVersion !== BUNDLE_CACHE_FORMAT_VERSION) throw new InputFileError(`${metaPath}: cache format ${meta.formatVersion}, this Mote reads ${BUNDLE_CACHE_FORMAT_VERSION}; run preprocess_data again`);
  const sets: Partial<Record<SetName, DataSet>> = {};
  for (const [set, info] of Object.entries(meta.sets) as [SetName, { count: number; shape: number[] }][]) {
    const dataPath = join(dir, set, 'data.npy');
    const labelsPath = join(dir, set, 'labels.npy');
    const data = readNpy(new Uint8Array(await readFile(dataPath)), dataPath);
    if (data.dtype !== 'float32' && data.dtype !== 'uint8') throw new InputFileError(`${dataPath}: expected float32 or uint8 data, got ${data.dtype}`);
    if (data.shape.join() !== [info.count, ...info.shape].join()) throw new InputFileError(`${dataPath}: shape (${data.shape.join(', ')}) does not match meta.json (${[info.count, ...info.shape].join(', ')}); run preprocess_data again`);
    const labels = labelsFrom(readNpy(new Uint8Array(await readFile(labelsPath)), labelsPath), labelsPath, info.count);
    sets[set] = makeSet(data.data, info.shape, labels);
  }
  if (!sets.train || !sets.test) throw new InputFileError(`${metaPath}: the cache lacks the train or test set; run preprocess_data again`);
  const bundle: DataBundle = { name: meta.name, classNames: meta.classNames, train: sets.train, test: sets.test };
  if (sets.valid) bundle.valid = sets.valid;
  if (meta.oneHot) bundle.oneHot = true;
  return bundle;
}
