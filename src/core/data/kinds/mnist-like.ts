// Shared loader for MNIST and Fashion-MNIST: four IDX files, gzipped or not, original names (and the
// common `idx3.ubyte` spelling), found anywhere in the source.

import { InputFileError } from '../../base/errors';
import { oneOf, string, table } from '../../base/schema';
import type { DataBundle, DataSet } from '../bundle';
import { makeSet } from '../bundle';
import type { DatasetKind, ProgressFn } from '../kind';
import { requireSource } from '../kind';
import type { FileSource } from '../source';
import { locateDataset } from '../locate';
import { parseIdx } from './idx';

export const mnistParams = table({
  path: string(''),
  dtype: oneOf(['float32', 'uint8'] as const, 'float32'),
});
export type MnistParams = ReturnType<typeof mnistParams.parse>;

function candidates(stem: string, kind: 'idx3' | 'idx1'): string[] {
  const names = [`${stem}-${kind}-ubyte`, `${stem}.${kind}-ubyte`, `${stem}-${kind}.ubyte`];
  return names.flatMap((n) => [n + '.gz', n]);
}

async function findFile(root: FileSource, stem: string, kind: 'idx3' | 'idx1'): Promise<string> {
  const files = new Set(await root.list());
  const names = candidates(stem, kind);
  const hit = names.find((n) => files.has(n));
  if (!hit) throw new InputFileError(`${root.label}: '${names[0]}' (or '${names[1]}') not found; the dataset needs the four original IDX files`);
  return hit;
}

async function readSplit(root: FileSource, stem: 'train' | 't10k', dtype: MnistParams['dtype'], classCount: number): Promise<DataSet> {
  const imageFile = await findFile(root, `${stem}-images`, 'idx3');
  const labelFile = await findFile(root, `${stem}-labels`, 'idx1');
  const images = await parseIdx(await root.read(imageFile), `${root.label}: ${imageFile}`, 3);
  const labels = await parseIdx(await root.read(labelFile), `${root.label}: ${labelFile}`, 1);
  const [count, h, w] = images.dims;
  if (labels.dims[0] !== count) throw new InputFileError(`${root.label}: ${imageFile} holds ${count} images but ${labelFile} holds ${labels.dims[0]} labels`);
  const y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    if (labels.data[i] >= classCount) throw new InputFileError(`${root.label}: ${labelFile}: label ${labels.data[i]} at sample ${i} is not a class 0..${classCount - 1}`);
    y[i] = labels.data[i];
  }
  let x: Uint8Array | Float32Array;
  if (dtype === 'uint8') x = images.data.slice(); // own buffer, so it can be transferred to a worker alone
  else { x = new Float32Array(images.data.length); x.set(images.data); }
  return makeSet(x, [h, w, 1], y);
}

export function mnistLike(kind: string, classNames: string[], summary: string): DatasetKind<MnistParams> {
  return {
    kind,
    summary,
    params: mnistParams,
    needsFiles: true,
    async load(p, source, progress?: ProgressFn) {
      const root = await locateDataset(requireSource(kind, source), {
        markers: candidates('train-images', 'idx3'),
        expected: `${kind} (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)`,
      });
      progress?.({ stage: 'import', done: 0, total: 2, detail: `${kind} train` });
      const train = await readSplit(root, 'train', p.dtype, classNames.length);
      progress?.({ stage: 'import', done: 1, total: 2, detail: `${kind} test` });
      const test = await readSplit(root, 't10k', p.dtype, classNames.length);
      progress?.({ stage: 'import', done: 2, total: 2 });
      const bundle: DataBundle = { name: kind, train, test, classNames: [...classNames] };
      return bundle;
    },
  };
}
