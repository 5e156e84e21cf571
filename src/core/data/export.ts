// A stored dataset written out in formats other tools (and `mote` itself) read, each exact:
//  - time series: one CSV (sample, set, label, timestamp, one column per axis), and a zip in Edge Impulse's
//    layout (training/ and testing/ folders of <label>.<serial>.csv with timestamp + axes), which Edge
//    Impulse's uploader takes and Mote's EdgeImpulse kind reads back;
//  - pictures: a zip of PNGs in train/<class>/ and test/<class>/, which Mote's ImageFolder kind reads back to
//    the same bytes (with its default size and the dataset's colour);
//  - sound clips: a zip of 16-bit PCM WAVs in the same class folders;
//  - tables: a zip of train.csv and test.csv, Mote's CSV kind's defaults.
// Numbers are written with the fewest digits that read back to the same float32.

import { zipSync, type Zippable } from 'fflate';
import { encode as encodePng } from 'fast-png';
import type { DatasetInfo, LoadedSamples } from './library';
import { sampleSize } from './bundle';
import { writeWav } from './wav';

export interface ExportFile { name: string; mediaType: string; bytes: Uint8Array }

/** The shortest decimal that parses back to exactly this float32. */
export function float32Text(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  for (let digits = 1; digits <= 9; digits++) {
    const text = String(Number(value.toPrecision(digits)));
    if (Math.fround(Number(text)) === value) return text;
  }
  return String(value);
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const setName = (code: number) => (code === 1 ? 'test' : 'train');

/** Milliseconds of reading `t` in a window at `rateHz` (3 decimals: exact enough for any real rate). */
function timestamp(t: number, rateHz: number | null): string {
  return rateHz ? String(Math.round((t * 1e6) / rateHz) / 1000) : String(t);
}

function axisNames(info: DatasetInfo): string[] {
  const last = info.shape[info.shape.length - 1];
  return info.axes.length === last ? info.axes : Array.from({ length: last }, (_, i) => `value${i + 1}`);
}

/** Time series as one long CSV: a row per reading, the sample's serial, set and label on every row. */
export function seriesCsv(info: DatasetInfo, samples: LoadedSamples): string {
  const [steps, axes] = info.shape;
  const size = steps * axes;
  const lines = [['sample', 'set', 'label', 'timestamp', ...axisNames(info)].map(csvCell).join(',')];
  for (let s = 0; s < samples.count; s++) {
    const head = `${samples.serials[s]},${setName(samples.sets[s])},${csvCell(info.classNames[samples.labels[s]])}`;
    for (let t = 0; t < steps; t++) {
      const values: string[] = [];
      for (let a = 0; a < axes; a++) values.push(float32Text(samples.values[s * size + t * axes + a]));
      lines.push(`${head},${timestamp(t, info.rateHz)},${values.join(',')}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** A folder-safe form of a class name (a label may hold any text; a folder name may not). */
export function folderName(label: string): string {
  const safe = label.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').replace(/^\.+/, '_').trim();
  return safe || '_';
}

function zip(files: Zippable): Uint8Array {
  return zipSync(files, { level: 6, mtime: new Date(Date.UTC(2026, 0, 1)) });
}

/** Every export a dataset offers, in the order the Data page lists them. */
export function exportFormats(info: DatasetInfo): { id: string; title: string }[] {
  switch (info.modality) {
    case 'series': return [{ id: 'csv', title: 'CSV (one row per reading)' }, { id: 'edge-impulse', title: 'Edge Impulse zip (a CSV per sample)' }];
    case 'image': return [{ id: 'png-zip', title: 'Zip of PNG class folders' }];
    case 'audio': return [{ id: 'wav-zip', title: 'Zip of WAV class folders' }];
    case 'table': return [{ id: 'csv-zip', title: 'Zip of train.csv and test.csv' }];
  }
}

export function exportDataset(info: DatasetInfo, samples: LoadedSamples, format: string): ExportFile {
  const size = sampleSize(info.shape);
  const one = (s: number) => samples.values.subarray(s * size, (s + 1) * size);
  const label = (s: number) => info.classNames[samples.labels[s]];
  switch (format) {
    case 'csv':
      return { name: `${info.name}.csv`, mediaType: 'text/csv', bytes: new TextEncoder().encode(seriesCsv(info, samples)) };
    case 'edge-impulse': {
      const [steps, axes] = info.shape;
      const files: Zippable = {};
      const header = ['timestamp', ...axisNames(info)].map(csvCell).join(',');
      for (let s = 0; s < samples.count; s++) {
        const rows = [header];
        for (let t = 0; t < steps; t++) {
          const values: string[] = [];
          for (let a = 0; a < axes; a++) values.push(float32Text(samples.values[s * size + t * axes + a]));
          rows.push(`${timestamp(t, info.rateHz)},${values.join(',')}`);
        }
        const folder = samples.sets[s] === 1 ? 'testing' : 'training';
        files[`${info.name}/${folder}/${folderName(label(s)).replace(/\./g, '_')}.${samples.serials[s]}.csv`] = new TextEncoder().encode(rows.join('\n') + '\n');
      }
      return { name: `${info.name}-edge-impulse.zip`, mediaType: 'application/zip', bytes: zip(files) };
    }
    case 'png-zip': {
      const [height, width, channels] = info.shape;
      const files: Zippable = {};
      for (let s = 0; s < samples.count; s++) {
        const png = encodePng({ width, height, channels, depth: 8, data: one(s) as Uint8Array });
        files[`${info.name}/${setName(samples.sets[s])}/${folderName(label(s))}/${String(samples.serials[s]).padStart(5, '0')}.png`] = [png, { level: 0 }];
      }
      return { name: `${info.name}-png.zip`, mediaType: 'application/zip', bytes: zip(files) };
    }
    case 'wav-zip': {
      const files: Zippable = {};
      for (let s = 0; s < samples.count; s++) {
        files[`${info.name}/${setName(samples.sets[s])}/${folderName(label(s))}/${String(samples.serials[s]).padStart(5, '0')}.wav`] = writeWav(one(s) as Int16Array, info.rateHz ?? 16000);
      }
      return { name: `${info.name}-wav.zip`, mediaType: 'application/zip', bytes: zip(files) };
    }
    case 'csv-zip': {
      const header = [...axisNames(info), 'label'].map(csvCell).join(',');
      const parts: Record<string, string[]> = { train: [header], test: [header] };
      for (let s = 0; s < samples.count; s++) parts[setName(samples.sets[s])].push([...Array.from(one(s), (v) => float32Text(v)), csvCell(label(s))].join(','));
      return { name: `${info.name}-csv.zip`, mediaType: 'application/zip', bytes: zip({ [`${info.name}/train.csv`]: new TextEncoder().encode(parts.train.join('\n') + '\n'), [`${info.name}/test.csv`]: new TextEncoder().encode(parts.test.join('\n') + '\n') }) };
    }
    default:
      throw new Error(`internal: no export format '${format}' for a ${info.modality} dataset`);
  }
}
