// How the Experiments view compares runs: each recorded figure by a name people read, with its unit; the
// experiment settings that differ between the runs (what tells two same-named runs apart); and the points of
// the accuracy-against-size chart. Pure functions over run records, tested in Node.
import { parse } from 'smol-toml';
import { describeBytes, type RunRecord } from '../../core/experiments/store';

export interface MetricInfo {
  name: string;
  unit: 'percent' | 'ratio' | 'bytes' | 'count' | 'seconds' | 'none';
  /** For ordering the comparison table: the figures people look at first come first. */
  order: number;
}

const QUALIA_METRICS: Record<string, [string, MetricInfo['unit']]> = {
  acc: ['accuracy', 'percent'], avgclsacc: ['mean per-class accuracy', 'percent'], prec: ['precision', 'ratio'], rec: ['recall', 'ratio'], f1: ['F1 score', 'ratio'], loss: ['loss', 'none'],
};

const KNOWN: Record<string, MetricInfo> = {
  target_acc: { name: 'Accuracy on the board', unit: 'percent', order: 0 },
  target_agreement: { name: 'Vectors equal to Mote\'s reference', unit: 'percent', order: 1 },
  weight_bytes: { name: 'Weights (flash)', unit: 'bytes', order: 20 },
  arena_bytes: { name: 'Working memory (RAM)', unit: 'bytes', order: 21 },
  macs: { name: 'Multiply-accumulates per inference', unit: 'count', order: 22 },
  train_seconds: { name: 'Training time', unit: 'seconds', order: 30 },
};

/** A recorded figure's name for people and its unit; unknown keys keep their own name. */
export function metricInfo(key: string): MetricInfo {
  if (KNOWN[key]) return KNOWN[key];
  const set = /^(test|train|valid)_(.+)$/.exec(key);
  if (set && QUALIA_METRICS[set[2]]) {
    const [name, unit] = QUALIA_METRICS[set[2]];
    const where = set[1] === 'test' ? 'float model, test set' : set[1] === 'train' ? 'float model, training set' : 'float model, validation set';
    return { name: `${name[0].toUpperCase()}${name.slice(1)} (${where})`, unit, order: set[1] === 'test' ? 10 : 15 };
  }
  return { name: key, unit: 'none', order: 50 };
}

/** A figure written with its unit ("97.2 %", "2.0 KiB", "23,680", "4.1 s"); "—" when not measured. */
export function formatMetric(key: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (metricInfo(key).unit) {
    case 'percent': return `${(value * 100).toFixed(1)} %`;
    case 'ratio': return value.toFixed(3);
    case 'bytes': return describeBytes(value);
    case 'count': return Math.round(value).toLocaleString('en');
    case 'seconds': return value < 90 ? `${value.toFixed(1)} s` : `${(value / 60).toFixed(1)} min`;
    default: return Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en') : Number(value.toPrecision(4)).toString();
  }
}

/** The figures of several runs in reading order: board first, then the float model's, sizes, times. */
export function metricKeys(runs: readonly Pick<RunRecord, 'metrics'>[]): string[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.metrics)))];
  return keys.sort((a, b) => metricInfo(a).order - metricInfo(b).order || a.localeCompare(b));
}

/** Texts larger than this are not parsed on the page to compare settings (a pasted 400 KB experiment). */
const MAX_COMPARED_TEXT = 100_000;

/** An experiment text as `key.path = value` pairs (arrays of tables by index); undefined when it does not parse. */
export function settingsOf(toml: string): Map<string, string> | undefined {
  if (toml.length > MAX_COMPARED_TEXT) return undefined;
  // Runs of one experiment mostly share a few texts: each is parsed once.
  if (parsedTexts.has(toml)) return parsedTexts.get(toml);
  const settings = readSettings(toml);
  if (parsedTexts.size >= 64) parsedTexts.delete(parsedTexts.keys().next().value!);
  parsedTexts.set(toml, settings);
  return settings;
}

const parsedTexts = new Map<string, Map<string, string> | undefined>();

function readSettings(toml: string): Map<string, string> | undefined {
  let parsed: unknown;
  try { parsed = parse(toml); } catch { return undefined; }
  const out = new Map<string, string>();
  const walk = (value: unknown, path: string) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
      for (const [key, child] of Object.entries(value)) walk(child, path ? `${path}.${key}` : key);
    } else if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
      value.forEach((child, i) => walk(child, `${path}[${i}]`));
    } else {
      out.set(path, JSON.stringify(value));
    }
  };
  walk(parsed, '');
  return out;
}

export interface SettingDifference {
  path: string;
  /** The value in each run, in the order given; undefined where the run's text does not set it. */
  values: (string | undefined)[];
}

/** The settings whose values are not the same in every run (what the runs were changed in). */
export function differingSettings(runs: readonly Pick<RunRecord, 'toml'>[]): SettingDifference[] {
  const settings = runs.map((r) => settingsOf(r.toml));
  if (runs.length < 2 || settings.some((s) => s === undefined)) return [];
  const paths = [...new Set(settings.flatMap((s) => [...s!.keys()]))];
  return paths
    .map((path) => ({ path, values: settings.map((s) => s!.get(path)) }))
    .filter(({ values }) => values.some((v) => v !== values[0]));
}

/** A setting written short for a table cell: `model[0].params.filters` → `filters`, with the value. */
export function shortSetting(path: string, value: string | undefined): string {
  const key = path.replace(/^model_template\.|^model\[\d+\]\./, '').replace(/^params\./, '');
  return `${key} ${value ?? 'not set'}`;
}

export interface ChartPoint { runId: string; label: string; x: number; y: number; onBoard: boolean }
export type SizeAxis = 'weight_bytes' | 'arena_bytes' | 'macs';

/** One point per run that has both figures: accuracy (on the board, else the float model's) against a size, smallest first. */
export function accuracyAgainst(axis: SizeAxis, runs: readonly (RunRecord & { label: string })[]): ChartPoint[] {
  return runs.flatMap((run): ChartPoint[] => {
    const x = run.metrics[axis];
    const board = run.metrics.target_acc;
    const y = typeof board === 'number' && Number.isFinite(board) ? board : run.metrics.test_acc;
    if (typeof x !== 'number' || !Number.isFinite(x) || typeof y !== 'number' || !Number.isFinite(y)) return [];
    return [{ runId: run.id, label: run.label, x, y, onBoard: typeof board === 'number' && Number.isFinite(board) }];
  }).sort((a, b) => a.x - b.x);
}
