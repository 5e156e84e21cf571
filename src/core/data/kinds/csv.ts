// CSV: Mote's kind for tabular data. A header row names the columns; `label` names the class column, every
// other column is a numeric feature. Train and test come from two files of the same folder (or archive).
// Class names are the distinct label values of both files (numeric order when all are numbers).

import { InputFileError } from '../../base/errors';
import { string, table } from '../../base/schema';
import type { DataBundle } from '../bundle';
import { makeSet } from '../bundle';
import type { DatasetKind } from '../kind';
import { requireSource } from '../kind';
import type { FileSource } from '../source';
import { locateDataset } from '../locate';
import { maybeGunzip } from '../archive';

const params = table({
  path: string(''),
  train: string('train.csv'),
  test: string('test.csv'),
  label: string('label'),
});

interface Table { header: string[]; features: number[][]; labels: string[] }

function splitRow(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cell.trim()); cell = ''; } else cell += c;
  }
  out.push(cell.trim());
  return out;
}

async function readTable(root: FileSource, file: string, labelColumn: string): Promise<Table> {
  const label = `${root.label}: ${file}`;
  const lines = new TextDecoder().decode(maybeGunzip(await root.read(file), label)).split(/\r?\n/).filter((l) => l.trim().length > 0);
  if (lines.length < 2) throw new InputFileError(`${label}: expected a header row and at least one data row`);
  const header = splitRow(lines[0]);
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0) throw new InputFileError(`${label}: no column named '${labelColumn}' in the header (${header.join(', ')}); set [dataset] params.label to the class column`);
  const features: number[][] = [];
  const labels: string[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = splitRow(lines[i]);
    if (cells.length !== header.length) throw new InputFileError(`${label}: line ${i + 1} has ${cells.length} cells, the header has ${header.length}`);
    const row: number[] = [];
    for (let j = 0; j < cells.length; j++) {
      if (j === labelIndex) continue;
      const v = Number(cells[j]);
      if (cells[j] === '' || !Number.isFinite(v)) throw new InputFileError(`${label}: line ${i + 1}, column '${header[j]}': '${cells[j]}' is not a number (feature columns must be numeric)`);
      row.push(v);
    }
    features.push(row);
    labels.push(cells[labelIndex]);
  }
  return { header: header.filter((_, j) => j !== labelIndex), features, labels };
}

export const CSV = {
  kind: 'CSV',
  summary: "Tabular CSV files with a header row: numeric feature columns plus a class column named by 'label' (train.csv and test.csv by default)",
  params,
  needsFiles: true,
  async load(p, source) {
    const root = await locateDataset(requireSource('CSV', source), { markers: [p.train], expected: `a CSV data set ('${p.train}' and '${p.test}')` });
    const train = await readTable(root, p.train, p.label);
    const test = await readTable(root, p.test, p.label);
    if (train.header.join(',') !== test.header.join(',')) throw new InputFileError(`${root.label}: '${p.test}' has columns (${test.header.join(', ')}), '${p.train}' has (${train.header.join(', ')}); they must match`);
    const distinct = [...new Set([...train.labels, ...test.labels])];
    const numeric = distinct.every((v) => v !== '' && Number.isFinite(Number(v)));
    const classNames = distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
    const toSet = (t: Table) => makeSet(
      Float32Array.from(t.features.flat()),
      [t.header.length],
      Int32Array.from(t.labels, (l) => classNames.indexOf(l)),
    );
    const bundle: DataBundle = { name: 'CSV', train: toSet(train), test: toSet(test), classNames };
    return bundle;
  },
} satisfies DatasetKind<ReturnType<typeof params.parse>>;
