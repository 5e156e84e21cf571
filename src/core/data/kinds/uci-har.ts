// UCI_HAR (Anguita et al., ESANN 2013): the original "UCI HAR Dataset" layout, as a folder, as
// `UCI HAR Dataset.zip`, or as the current UCI download that wraps that zip inside another one.
// variant 'raw': [128, 9] inertial windows, channels in Qualia's order body_acc xyz, body_gyro xyz, total_acc xyz;
// variant 'features': the 561 engineered features. Labels 1..6 become 0..5, named by activity_labels.txt.

import { InputFileError } from '../../base/errors';
import { oneOf, string, table } from '../../base/schema';
import type { DataBundle, DataSet } from '../bundle';
import { makeSet } from '../bundle';
import type { DatasetKind } from '../kind';
import { requireSource } from '../kind';
import type { FileSource } from '../source';
import { locateDataset } from '../locate';
import { parseNumberTable, textLines } from '../text';

export const UCI_HAR_CHANNELS = [
  'body_acc_x', 'body_acc_y', 'body_acc_z',
  'body_gyro_x', 'body_gyro_y', 'body_gyro_z',
  'total_acc_x', 'total_acc_y', 'total_acc_z',
] as const;
const WINDOW = 128;
const FEATURES = 561;

const params = table({
  path: string(''),
  variant: oneOf(['features', 'raw'] as const, 'features'),
});

async function readLabels(root: FileSource, set: 'train' | 'test', classCount: number): Promise<Int32Array> {
  const file = `${set}/y_${set}.txt`;
  const { values, rows } = parseNumberTable(await root.read(file), `${root.label}: ${file}`, 1);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 1 || v > classCount) throw new InputFileError(`${root.label}: ${file}: line ${i + 1} has label ${v}, expected an activity number 1..${classCount} (activity_labels.txt)`);
    labels[i] = v - 1;
  }
  return labels;
}

async function readSet(root: FileSource, set: 'train' | 'test', variant: 'features' | 'raw', classCount: number): Promise<DataSet> {
  const labels = await readLabels(root, set, classCount);
  const count = labels.length;
  const checkRows = (file: string, rows: number) => {
    if (rows !== count) throw new InputFileError(`${root.label}: ${file} has ${rows} rows but ${set}/y_${set}.txt has ${count}; the files come from different copies or one is truncated`);
  };
  if (variant === 'features') {
    const file = `${set}/X_${set}.txt`;
    const { values, rows } = parseNumberTable(await root.read(file), `${root.label}: ${file}`, FEATURES);
    checkRows(file, rows);
    return makeSet(values, [FEATURES], labels);
  }
  const x = new Float32Array(count * WINDOW * UCI_HAR_CHANNELS.length);
  for (let c = 0; c < UCI_HAR_CHANNELS.length; c++) {
    const file = `${set}/Inertial Signals/${UCI_HAR_CHANNELS[c]}_${set}.txt`;
    const { values, rows } = parseNumberTable(await root.read(file), `${root.label}: ${file}`, WINDOW);
    checkRows(file, rows);
    // File rows are one channel's window; interleave into channels_last [steps, channels].
    for (let s = 0; s < count; s++) {
      const src = s * WINDOW;
      const dst = s * WINDOW * UCI_HAR_CHANNELS.length + c;
      for (let t = 0; t < WINDOW; t++) x[dst + t * UCI_HAR_CHANNELS.length] = values[src + t];
    }
  }
  return makeSet(x, [WINDOW, UCI_HAR_CHANNELS.length], labels);
}

export const UCI_HAR = {
  kind: 'UCI_HAR',
  summary: 'UCI Human Activity Recognition (smartphone IMU, 6 activities): raw 128×9 windows or 561 features; folder, zip or the zip inside the UCI download',
  params,
  needsFiles: true,
  async load(p, source, progress?) {
    const root = await locateDataset(requireSource('UCI_HAR', source), {
      markers: ['activity_labels.txt'],
      expected: "the UCI HAR Dataset (a folder 'UCI HAR Dataset' with activity_labels.txt, train/ and test/)",
    });
    const names: string[] = [];
    for (const [i, line] of textLines(await root.read('activity_labels.txt')).entries()) {
      const m = /^(\d+)\s+(\S+)$/.exec(line);
      if (!m || Number(m[1]) !== i + 1) throw new InputFileError(`${root.label}: activity_labels.txt line ${i + 1} is '${line}', expected '${i + 1} NAME'`);
      names.push(m[2]);
    }
    if (names.length === 0) throw new InputFileError(`${root.label}: activity_labels.txt is empty, expected 6 lines such as '1 WALKING'`);
    progress?.({ stage: 'import', done: 0, total: 2, detail: 'UCI HAR train' });
    const train = await readSet(root, 'train', p.variant, names.length);
    progress?.({ stage: 'import', done: 1, total: 2, detail: 'UCI HAR test' });
    const test = await readSet(root, 'test', p.variant, names.length);
    progress?.({ stage: 'import', done: 2, total: 2 });
    const bundle: DataBundle = { name: `UCI_HAR_${p.variant}`, train, test, classNames: names };
    return bundle;
  },
} satisfies DatasetKind<ReturnType<typeof params.parse>>;
