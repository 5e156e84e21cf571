// CIFAR10, binary version (cifar-10-binary.tar.gz → cifar-10-batches-bin/): records of 3 073 bytes,
// 1 label byte then 1 024 R, 1 024 G, 1 024 B (row-major 32×32 planes), transposed here to [32, 32, 3].

import { InputFileError } from '../../base/errors';
import { oneOf, string, table } from '../../base/schema';
import type { DataBundle, DataSet } from '../bundle';
import { makeSet } from '../bundle';
import type { DatasetKind } from '../kind';
import { requireSource } from '../kind';
import type { FileSource } from '../source';
import { locateDataset } from '../locate';
import { textLines } from '../text';

const RECORD = 3073;
const PLANE = 1024;
const TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
const TEST_FILE = 'test_batch.bin';

const params = table({
  path: string(''),
  dtype: oneOf(['float32', 'uint8'] as const, 'float32'),
});

async function readBatches(root: FileSource, files: string[], dtype: 'float32' | 'uint8'): Promise<DataSet> {
  const chunks: Uint8Array[] = [];
  for (const file of files) {
    const bytes = await root.read(file);
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      const hint = bytes.length % 3074 === 0 && bytes.length > 0 ? ' (3 074-byte records: this looks like CIFAR-100)' : '';
      throw new InputFileError(`${root.label}: ${file} has ${bytes.length} bytes, not a whole number of 3 073-byte CIFAR-10 records${hint}; the file is truncated or not the binary version`);
    }
    chunks.push(bytes);
  }
  const count = chunks.reduce((a, c) => a + c.length / RECORD, 0);
  const pixels = new Uint8Array(count * 3 * PLANE);
  const labels = new Int32Array(count);
  let s = 0;
  for (const [f, bytes] of chunks.entries()) {
    for (let r = 0; r < bytes.length; r += RECORD, s++) {
      const label = bytes[r];
      if (label > 9) throw new InputFileError(`${root.label}: ${files[f]}: record ${r / RECORD} has label ${label}, expected 0..9 (is this CIFAR-100?)`);
      labels[s] = label;
      const out = s * 3 * PLANE;
      for (let i = 0; i < PLANE; i++) {
        pixels[out + 3 * i] = bytes[r + 1 + i];
        pixels[out + 3 * i + 1] = bytes[r + 1 + PLANE + i];
        pixels[out + 3 * i + 2] = bytes[r + 1 + 2 * PLANE + i];
      }
    }
  }
  if (dtype === 'uint8') return makeSet(pixels, [32, 32, 3], labels);
  const x = new Float32Array(pixels.length);
  x.set(pixels);
  return makeSet(x, [32, 32, 3], labels);
}

export const CIFAR10 = {
  kind: 'CIFAR10',
  summary: 'CIFAR-10, binary version (cifar-10-binary.tar.gz or its cifar-10-batches-bin folder): 32×32×3, 10 classes, pixel values 0..255',
  params,
  needsFiles: true,
  async load(p, source, progress?) {
    const given = requireSource('CIFAR10', source);
    const listing = await given.list();
    if (listing.some((f) => /(^|\/)cifar-10-batches-py\//.test(f) || /cifar-10-python\.tar\.gz$/.test(f)) && !listing.some((f) => f.endsWith('test_batch.bin') || /binary\.tar\.gz$/.test(f))) {
      throw new InputFileError(`${given.label}: this is the Python (pickle) version of CIFAR-10; Mote reads the binary version: download cifar-10-binary.tar.gz from the same page (https://www.cs.toronto.edu/~kriz/cifar.html)`);
    }
    const root = await locateDataset(given, {
      markers: ['batches.meta.txt', TEST_FILE],
      expected: 'CIFAR-10 binary version (cifar-10-batches-bin/ with data_batch_1.bin … data_batch_5.bin, test_batch.bin, batches.meta.txt)',
    });
    const files = new Set(await root.list());
    const names = files.has('batches.meta.txt') ? textLines(await root.read('batches.meta.txt')) : [];
    if (names.length !== 10) throw new InputFileError(`${root.label}: batches.meta.txt ${files.has('batches.meta.txt') ? `lists ${names.length} class names` : 'is missing'}; expected the 10 CIFAR-10 class names, one per line`);
    progress?.({ stage: 'import', done: 0, total: 2, detail: 'CIFAR-10 train' });
    const train = await readBatches(root, TRAIN_FILES, p.dtype);
    progress?.({ stage: 'import', done: 1, total: 2, detail: 'CIFAR-10 test' });
    const test = await readBatches(root, [TEST_FILE], p.dtype);
    progress?.({ stage: 'import', done: 2, total: 2 });
    const bundle: DataBundle = { name: 'CIFAR10', train, test, classNames: names };
    return bundle;
  },
} satisfies DatasetKind<ReturnType<typeof params.parse>>;
