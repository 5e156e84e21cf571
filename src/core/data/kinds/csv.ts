// CSV: Mote's kind for tabular data. A header row names the columns; `label` names the class column, every
// other column is a numeric feature. Train and test come from two files of the same folder (or archive), or
// from one file (`test = ""`) split per class with a seeded shuffle, `test_split` of each class to test.
// Class names are the distinct label values (numeric order when all are numbers, else alphabetical).

import { InputFileError } from '../../base/errors';
import { integer, number, string, table } from '../../base/schema';
import { createRng } from '../../base/rng';
import type { DataBundle } from '../bundle';
import { makeSet } from '../bundle';
import type { DatasetKind } from '../kind';
import { requireSource } from '../kind';
import type { FileSource } from '../source';
import { locateDataset } from '../locate';
import { maybeGunzip } from '../archive';
import { csvNumber, readCsv } from '../csv-text';

const params = table({
  path: string(''),
  train: string('train.csv'),
  test: string('test.csv'),
  label: string('label'),
  test_split: number(0.2, { min: 0.05, max: 0.9 }),
  seed: integer(1),
});

interface Table { header: string[]; features: number[][]; labels: string[] }

async function readTable(root: FileSource, file: string, labelColumn: string): Promise<Table> {
  const label = `${root.label}: ${file}`;
  const { header, rows } = readCsv(new TextDecoder().decode(maybeGunzip(await root.read(file), label)), label);
  if (rows.length === 0) throw new InputFileError(`${label}: expected a header row and at least one data row`);
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0) throw new InputFileError(`${label}: no column named '${labelColumn}' in the header (${header.join(', ')}); set [dataset] params.label to the class column`);
  const features: number[][] = [];
  const labels: string[] = [];
  for (const { line, cells } of rows) {
    const row: number[] = [];
    for (let j = 0; j < cells.length; j++) if (j !== labelIndex) row.push(csvNumber(cells[j], label, line, header[j]));
    if (cells[labelIndex] === '') throw new InputFileError(`${label}: line ${line}: the class column '${labelColumn}' is empty`);
    features.push(row);
    labels.push(cells[labelIndex]);
  }
  return { header: header.filter((_, j) => j !== labelIndex), features, labels };
}

/** Splits one table per class: a seeded shuffle of each class's rows, `fraction` of them to test, file order kept. */
function splitTable(t: Table, fraction: number, seed: number): { train: Table; test: Table } {
  const rng = createRng(seed);
  const isTest = new Uint8Array(t.labels.length);
  for (const value of [...new Set(t.labels)].sort()) {
    const members = t.labels.flatMap((l, i) => (l === value ? [i] : []));
    rng.shuffle(members);
    for (const i of members.slice(0, Math.round(members.length * fraction))) isTest[i] = 1;
  }
  const part = (flag: number): Table => ({ header: t.header, features: t.features.filter((_, i) => isTest[i] === flag), labels: t.labels.filter((_, i) => isTest[i] === flag) });
  return { train: part(0), test: part(1) };
}

export const CSV = {
  kind: 'CSV',
  summary: "Tabular CSV with a header row: numeric feature columns plus a class column named by 'label'; train.csv and test.csv, or one file split by test_split when test = \"\"",
  params,
  needsFiles: true,
  async load(p, source) {
    const root = await locateDataset(requireSource('CSV', source), { markers: [p.train], expected: `a CSV data set ('${p.train}'${p.test ? ` and '${p.test}'` : ''})` });
    const all = await readTable(root, p.train, p.label);
    let train = all;
    let test: Table;
    if (p.test === '') ({ train, test } = splitTable(all, p.test_split, p.seed));
    else {
      if (!(await root.list()).includes(p.test)) {
        throw new InputFileError(`${root.label}: '${p.test}' not found beside '${p.train}'; give the test file's name in params.test, or set params.test = "" to split '${p.train}' (params.test_split of each class, ${p.test_split} by default, goes to test)`);
      }
      test = await readTable(root, p.test, p.label);
      if (train.header.join(',') !== test.header.join(',')) throw new InputFileError(`${root.label}: '${p.test}' has columns (${test.header.join(', ')}), '${p.train}' has (${train.header.join(', ')}); they must match`);
    }
    const distinct = [...new Set([...train.labels, ...test.labels])];
    const numeric = distinct.every((v) => v !== '' && Number.isFinite(Number(v)));
    const classNames = distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
    const toSet = (t: Table) => makeSet(
      Float32Array.from(t.features.flat()),
      [t.header.length],
      Int32Array.from(t.labels, (l) => classNames.indexOf(l)),
    );
    if (test.labels.length === 0) throw new InputFileError(`${root.label}: the test set is empty (${p.train} has ${all.labels.length} rows); add rows or raise params.test_split`);
    const bundle: DataBundle = { name: 'CSV', train: toSet(train), test: toSet(test), classNames, axes: [...train.header] };
    return bundle;
  },
} satisfies DatasetKind<ReturnType<typeof params.parse>>;
