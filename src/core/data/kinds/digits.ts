// Digits: Mote's built-in data set, so the default experiment runs with no file at all. The 1 797 real 8×8
// handwritten digits of scikit-learn's digits.csv.gz (UCI optdigits test part; BSD-3, see
// embedded/NOTICE.md), pixel values 0..16, shape [8, 8, 1].
// Split (fixed, documented): within each class, a shuffle by createRng(DIGITS_SPLIT_SEED) puts the first
// ⌊n/5⌋ samples in test and the rest in train, in original file order → 1 442 train / 355 test.

import { InputFileError } from '../../base/errors';
import { table } from '../../base/schema';
import { createRng } from '../../base/rng';
import type { DataBundle } from '../bundle';
import { makeSet } from '../bundle';
import type { DatasetKind } from '../kind';
import { maybeGunzip } from '../archive';
import { readEmbeddedAsset } from '../embedded-asset';

export const DIGITS_SPLIT_SEED = 1797;
const ROWS = 1797;
const PIXELS = 64;

const params = table({});

/** Parses digits.csv(.gz): 1 797 lines of 64 pixels + label. Exported for tests on the embedded copy. */
export function parseDigitsCsv(raw: Uint8Array, label: string): { x: Float32Array; labels: Int32Array } {
  const text = new TextDecoder().decode(maybeGunzip(raw, label));
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length !== ROWS) throw new InputFileError(`${label}: ${lines.length} rows, expected ${ROWS} (64 pixels + label each)`);
  const x = new Float32Array(ROWS * PIXELS);
  const labels = new Int32Array(ROWS);
  for (const [i, line] of lines.entries()) {
    const values = line.split(',').map(Number);
    if (values.length !== PIXELS + 1 || values.some((v) => !Number.isFinite(v))) throw new InputFileError(`${label}: line ${i + 1} is not 65 numbers`);
    x.set(values.slice(0, PIXELS), i * PIXELS);
    labels[i] = values[PIXELS];
  }
  return { x, labels };
}

export function digitsSplit(labels: Int32Array): { train: number[]; test: number[] } {
  const rng = createRng(DIGITS_SPLIT_SEED);
  const isTest = new Uint8Array(labels.length);
  for (let c = 0; c < 10; c++) {
    const members = [] as number[];
    for (let i = 0; i < labels.length; i++) if (labels[i] === c) members.push(i);
    rng.shuffle(members);
    for (const i of members.slice(0, Math.floor(members.length / 5))) isTest[i] = 1;
  }
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < labels.length; i++) (isTest[i] ? test : train).push(i);
  return { train, test };
}

function pick(x: Float32Array, labels: Int32Array, indices: number[]) {
  const out = new Float32Array(indices.length * PIXELS);
  const y = new Int32Array(indices.length);
  indices.forEach((s, i) => { out.set(x.subarray(s * PIXELS, (s + 1) * PIXELS), i * PIXELS); y[i] = labels[s]; });
  return makeSet(out, [8, 8, 1], y);
}

export const Digits = {
  kind: 'Digits',
  summary: 'Built-in: 1 797 real 8×8 handwritten digits (scikit-learn / UCI optdigits), values 0..16, fixed stratified split 1 442 train / 355 test (seed 1797); needs no file',
  params,
  needsFiles: false,
  async load(_params, _source?, progress?) {
    const url = new URL('../embedded/digits.csv.gz', import.meta.url);
    const { x, labels } = parseDigitsCsv(await readEmbeddedAsset(url), 'built-in digits.csv.gz');
    const split = digitsSplit(labels);
    progress?.({ stage: 'import', done: 1, total: 1, detail: 'Digits (built-in)' });
    const bundle: DataBundle = {
      name: 'Digits',
      train: pick(x, labels, split.train),
      test: pick(x, labels, split.test),
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    };
    return bundle;
  },
} satisfies DatasetKind<ReturnType<typeof params.parse>>;
