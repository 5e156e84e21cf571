// DataBundle: what a dataset kind produces and every preprocessing step consumes. Samples are stored flat,
// channels_last per sample as Qualia keeps them ([steps, channels], [h, w, channels]); labels are class
// indices. Pixel datasets may keep their original Uint8Array until a conversion step (IntToFloat32,
// Normalize) so that 60 000 images cost 47 MB instead of 188 MB while they travel to the worker.

export type SampleArray = Float32Array | Uint8Array;
export type SetName = 'train' | 'valid' | 'test';
export const SET_NAMES: readonly SetName[] = ['train', 'valid', 'test'];

export interface DataSet {
  /** `count × prod(shape)` values, sample after sample. */
  x: SampleArray;
  /** Shape of one sample, channels_last, without the batch dimension. */
  shape: number[];
  /** Class index of each sample (0-based). */
  labels: Int32Array;
  count: number;
}

export interface DataBundle {
  /** Qualia's dataset name (`UCI_HAR_raw`, `FashionMNIST`): the folder under `out/data/`. */
  name: string;
  train: DataSet;
  valid?: DataSet;
  test: DataSet;
  classNames: string[];
  /** Set by Class2BinMatrix: the trainer uses one-hot targets (labels stay indices here). */
  oneHot?: boolean;
  /** Names of a sample's last dimension when the files give them (sensor axes, table columns). */
  axes?: string[];
  /** Readings per second of time-series samples, when the files say. */
  rateHz?: number;
}

export function sampleSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function makeSet(x: SampleArray, shape: number[], labels: Int32Array): DataSet {
  const count = labels.length;
  const size = sampleSize(shape);
  if (x.length !== count * size) {
    throw new Error(`internal: set has ${x.length} values, expected ${count} samples × ${size} (shape [${shape.join(', ')}])`);
  }
  return { x, shape: [...shape], labels, count };
}

export function setsOf(bundle: DataBundle): [SetName, DataSet][] {
  const out: [SetName, DataSet][] = [];
  for (const name of SET_NAMES) {
    const set = bundle[name];
    if (set) out.push([name, set]);
  }
  return out;
}

/** Values of a set as float32 (converts a Uint8Array set; returns the same array when already float). */
export function asFloat32(x: SampleArray): Float32Array {
  if (x instanceof Float32Array) return x;
  const out = new Float32Array(x.length);
  out.set(x);
  return out;
}

/** Copies samples `indices` of `set` into a new set (order kept as given). */
export function selectSamples(set: DataSet, indices: ArrayLike<number>): DataSet {
  const size = sampleSize(set.shape);
  const x = set.x instanceof Uint8Array ? new Uint8Array(indices.length * size) : new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const s = indices[i];
    x.set(set.x.subarray(s * size, (s + 1) * size), i * size);
    labels[i] = set.labels[s];
  }
  return { x, shape: [...set.shape], labels, count: indices.length };
}

/** Joins two sets of the same sample shape and storage type. */
export function concatSets(a: DataSet, b: DataSet): DataSet {
  if (sampleSize(a.shape) !== sampleSize(b.shape)) throw new Error(`internal: cannot join sets of shapes [${a.shape}] and [${b.shape}]`);
  const x = a.x instanceof Uint8Array && b.x instanceof Uint8Array ? new Uint8Array(a.x.length + b.x.length) : new Float32Array(a.x.length + b.x.length);
  x.set(a.x, 0);
  x.set(b.x, a.x.length);
  const labels = new Int32Array(a.count + b.count);
  labels.set(a.labels, 0);
  labels.set(b.labels, a.count);
  return { x, shape: [...a.shape], labels, count: a.count + b.count };
}

/** Number of samples of each class in a set. */
export function classCounts(set: DataSet, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (const label of set.labels) if (label >= 0 && label < classCount) counts[label]++;
  return counts;
}

/** One-hot float32 view of a set's labels ([count, classCount]), built only where a loss needs it. */
export function oneHotLabels(labels: Int32Array, classCount: number): Float32Array {
  const out = new Float32Array(labels.length * classCount);
  for (let i = 0; i < labels.length; i++) out[i * classCount + labels[i]] = 1;
  return out;
}

// --- Transfer to and from a worker without copying -------------------------------------------------

export interface TransferableSet { x: SampleArray; shape: number[]; labels: Int32Array; count: number }
export interface TransferableBundle {
  name: string;
  classNames: string[];
  oneHot: boolean;
  sets: Partial<Record<SetName, TransferableSet>>;
}

/** A structured-clone-friendly form of the bundle plus the buffers to list as transferables. */
export function toTransferable(bundle: DataBundle): { message: TransferableBundle; transfer: ArrayBuffer[] } {
  const sets: TransferableBundle['sets'] = {};
  const transfer = new Set<ArrayBuffer>();
  for (const [name, set] of setsOf(bundle)) {
    sets[name] = { x: set.x, shape: set.shape, labels: set.labels, count: set.count };
    for (const view of [set.x, set.labels]) {
      if (view.buffer instanceof ArrayBuffer) transfer.add(view.buffer);
    }
  }
  return { message: { name: bundle.name, classNames: bundle.classNames, oneHot: bundle.oneHot ?? false, sets }, transfer: [...transfer] };
}

export function fromTransferable(message: TransferableBundle): DataBundle {
  const { train, valid, test } = message.sets;
  if (!train || !test) throw new Error('internal: a transferred bundle needs train and test sets');
  const bundle: DataBundle = { name: message.name, classNames: message.classNames, train: makeSet(train.x, train.shape, train.labels), test: makeSet(test.x, test.shape, test.labels) };
  if (valid) bundle.valid = makeSet(valid.x, valid.shape, valid.labels);
  if (message.oneHot) bundle.oneHot = true;
  return bundle;
}
