// EdgeImpulse: time series exported from Edge Impulse Studio (Data acquisition → Export, CSV), or written
// for its uploader: one CSV file per sample, first column `timestamp` (ms), one column per sensor axis
// (`timestamp,accX,accY,accZ`). The label is the file name up to its first dot (`wave.3f9a.csv` → `wave`),
// as the uploader infers it, unless an `info.labels` file (Edge Impulse's exporter format: files[].path,
// .category training|testing, .label.label) says otherwise. `training/` and `testing/` folders (or the
// categories of info.labels) give the sets; otherwise each class is split with a seeded shuffle.
// Every sample becomes [steps, axes]: samples must share their axes and their rate; longer samples are cut
// to `steps` (0: every sample must have the same length).

import { InputFileError } from '../../base/errors';
import { integer, number, string, table } from '../../base/schema';
import { createRng } from '../../base/rng';
import type { DataBundle } from '../bundle';
import { makeSet } from '../bundle';
import type { DatasetKind } from '../kind';
import { requireSource } from '../kind';
import { csvNumber, readCsv } from '../csv-text';
import { bytesSource, isJunkPath, type FileSource } from '../source';
import { archiveKindOf, openArchive } from '../archive';

const params = table({
  path: string(''),
  steps: integer(0, { min: 0 }),
  test_split: number(0.2, { min: 0, max: 0.9 }),
  seed: integer(1),
});

type Params = ReturnType<typeof params.parse>;

/** Two samples whose reading intervals differ by more than this share were taken at different rates. */
const INTERVAL_TOLERANCE = 0.15;

interface Sample { path: string; label: string; set?: 'train' | 'test'; axes: string[]; values: number[][]; intervalMs: number }

interface LabelEntry { path?: string; name?: string; category?: string; label?: { type?: string; label?: string } }

/** The uploader's rule: the label is the file name before its first dot. */
export function labelFromFileName(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.indexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function setOfFolder(path: string): 'train' | 'test' | undefined {
  const top = path.split('/').slice(-2, -1)[0]?.toLowerCase();
  return top === 'training' || top === 'train' ? 'train' : top === 'testing' || top === 'test' ? 'test' : undefined;
}

async function readLabels(root: FileSource, files: string[]): Promise<Map<string, { label?: string; set?: 'train' | 'test' }>> {
  const out = new Map<string, { label?: string; set?: 'train' | 'test' }>();
  for (const file of files.filter((f) => f === 'info.labels' || f.endsWith('/info.labels'))) {
    const dir = file.slice(0, file.length - 'info.labels'.length);
    let parsed: { files?: LabelEntry[] };
    try {
      parsed = JSON.parse(new TextDecoder().decode(await root.read(file)));
    } catch (error) {
      throw new InputFileError(`${root.label}: ${file} is not valid JSON (${(error as Error).message}); it should be Edge Impulse's exporter format ({"version": 1, "files": [...]})`, { cause: error });
    }
    if (!Array.isArray(parsed.files)) throw new InputFileError(`${root.label}: ${file} has no "files" list; it should be Edge Impulse's exporter format ({"version": 1, "files": [...]})`);
    for (const entry of parsed.files) {
      if (typeof entry.path !== 'string') continue;
      const category = entry.category?.toLowerCase();
      const label = entry.label?.type === 'label' ? entry.label.label : undefined;
      if (entry.label?.type === 'multi-label') throw new InputFileError(`${root.label}: ${file}: '${entry.path}' has multi-label (segmented) labels; Mote reads one label per sample: split the sample in Edge Impulse first`);
      out.set(dir + entry.path.replace(/^\.?\//, ''), { label, set: category === 'testing' ? 'test' : category === 'training' ? 'train' : undefined });
    }
  }
  return out;
}

function readSample(text: string, path: string, root: FileSource): Omit<Sample, 'label' | 'set'> {
  const where = `${root.label}: ${path}`;
  const { header, rows } = readCsv(text, where);
  if (header[0]?.toLowerCase() !== 'timestamp') {
    throw new InputFileError(`${where}: the first column is '${header[0]}', not 'timestamp'; Edge Impulse's CSV format starts each row with the time in milliseconds (timestamp,accX,accY,accZ)`);
  }
  if (header.length < 2) throw new InputFileError(`${where}: only a timestamp column; add one column per sensor axis`);
  if (rows.length < 2) throw new InputFileError(`${where}: ${rows.length} reading${rows.length === 1 ? '' : 's'}; a time-series sample needs at least 2`);
  const times = rows.map((r) => csvNumber(r.cells[0], where, r.line, 'timestamp'));
  const values = rows.map((r) => r.cells.slice(1).map((c, j) => csvNumber(c, where, r.line, header[j + 1])));
  for (let i = 1; i < times.length; i++) {
    if (!(times[i] > times[i - 1])) throw new InputFileError(`${where}: line ${rows[i].line}: timestamp ${times[i]} does not come after ${times[i - 1]}; rows must be in time order`);
  }
  return { path, axes: header.slice(1), values, intervalMs: (times[times.length - 1] - times[0]) / (times.length - 1) };
}

async function openRoot(source: FileSource): Promise<FileSource> {
  const files = (await source.list()).filter((f) => !isJunkPath(f));
  if (files.some((f) => /\.csv$/i.test(f))) return source;
  const archives = files.filter((f) => archiveKindOf(f));
  if (archives.length !== 1) return source;
  const bytes = source.open ? await source.open(archives[0]) : bytesSource(archives[0], await source.read(archives[0]));
  return openArchive(bytes, { label: `${source.label} › ${archives[0]}` });
}

export const EdgeImpulse = {
  kind: 'EdgeImpulse',
  summary: "Edge Impulse CSV time series (export or uploader format): one file per sample, timestamp + one column per axis, label from the file name or info.labels, training/ and testing/ folders",
  params,
  needsFiles: true,
  async load(p: Params, source, progress) {
    const root = await openRoot(requireSource('EdgeImpulse', source));
    const files = (await root.list()).filter((f) => !isJunkPath(f)).sort();
    const csvs = files.filter((f) => /\.csv$/i.test(f));
    if (csvs.length === 0) throw new InputFileError(`${root.label}: no .csv samples found${files.length ? ` (found ${files.slice(0, 4).map((f) => `'${f}'`).join(', ')})` : ''}; export the data from Edge Impulse as CSV (one file per sample)`);
    const labels = await readLabels(root, files);
    const samples: Sample[] = [];
    for (const [i, path] of csvs.entries()) {
      const listed = labels.get(path);
      const label = listed?.label ?? labelFromFileName(path);
      const read = readSample(new TextDecoder().decode(await root.read(path)), path, root);
      samples.push({ ...read, label, set: listed?.set ?? setOfFolder(path) });
      if ((i + 1) % 200 === 0) progress?.({ stage: 'import', done: i + 1, total: csvs.length, detail: 'Edge Impulse samples' });
    }
    const first = samples[0];
    for (const s of samples) {
      if (s.axes.join(',') !== first.axes.join(',')) throw new InputFileError(`${root.label}: ${s.path} has the axes (${s.axes.join(', ')}), ${first.path} has (${first.axes.join(', ')}); every sample must have the same columns`);
      if (Math.abs(s.intervalMs / first.intervalMs - 1) > INTERVAL_TOLERANCE) {
        throw new InputFileError(`${root.label}: ${s.path} has a reading every ${s.intervalMs.toFixed(1)} ms (${(1000 / s.intervalMs).toFixed(1)} /s), ${first.path} every ${first.intervalMs.toFixed(1)} ms (${(1000 / first.intervalMs).toFixed(1)} /s); samples taken at different rates would not cover the same time — resample them or leave that one out`);
      }
    }
    const lengths = samples.map((s) => s.values.length);
    const steps = p.steps || lengths[0];
    if (p.steps === 0) {
      const odd = samples.find((s) => s.values.length !== steps);
      if (odd) throw new InputFileError(`${root.label}: ${odd.path} has ${odd.values.length} readings, ${first.path} has ${steps}; set [dataset] params.steps to the window length to use (longer samples are cut to it; shorter ones are refused)`);
    }
    const short = samples.find((s) => s.values.length < steps);
    if (short) throw new InputFileError(`${root.label}: ${short.path} has ${short.values.length} readings, fewer than params.steps = ${steps}; lower params.steps or leave that sample out`);
    const classNames = [...new Set(samples.map((s) => s.label))].sort();
    if (classNames.length < 2) throw new InputFileError(`${root.label}: every sample is labelled '${classNames[0]}'; a classifier needs at least two classes (the label is the file name before its first dot, or info.labels)`);
    const presplit = samples.some((s) => s.set === 'test') && samples.some((s) => s.set !== 'test');
    if (!presplit) {
      const rng = createRng(p.seed);
      for (const name of classNames) {
        const members = samples.filter((s) => s.label === name);
        rng.shuffle(members);
        members.forEach((s, i) => { s.set = i < Math.round(members.length * p.test_split) ? 'test' : 'train'; });
      }
    }
    const axes = first.axes.length;
    const build = (set: 'train' | 'test') => {
      const chosen = samples.filter((s) => (s.set ?? 'train') === set);
      const x = new Float32Array(chosen.length * steps * axes);
      chosen.forEach((s, k) => { for (let t = 0; t < steps; t++) x.set(s.values[t], (k * steps + t) * axes); });
      return makeSet(x, [steps, axes], Int32Array.from(chosen, (s) => classNames.indexOf(s.label)));
    };
    progress?.({ stage: 'import', done: csvs.length, total: csvs.length, detail: 'Edge Impulse samples' });
    const intervals = samples.map((s) => s.intervalMs).sort((a, b) => a - b);
    const bundle: DataBundle = { name: 'EdgeImpulse', train: build('train'), test: build('test'), classNames, axes: [...first.axes], rateHz: 1000 / intervals[Math.floor(intervals.length / 2)] };
    if (bundle.test.count === 0) throw new InputFileError(`${root.label}: the test set is empty; add samples to testing/ or raise params.test_split`);
    return bundle;
  },
} satisfies DatasetKind<Params>;
