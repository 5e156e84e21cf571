// Window (Qualia): cuts a continuous labelled recording into windows. In Mote's array bundles a recording is
// a set whose samples are time steps (shape [channels] or [1, channels]), in time order; each window of
// `size` steps moving by `stride` becomes one sample [size, channels].
// no_overlapping_labels: windows that span a label change are dropped; otherwise they take the majority
// label (ties: the earliest such label). unique_label_per_window=false (a label per time step) cannot be
// represented by per-sample class indices and is refused.

import { ConfigError, UnsupportedError } from '../../base/errors';
import { boolean, integer, table } from '../../base/schema';
import type { DataSet } from '../../data/bundle';
import { sampleSize, setsOf } from '../../data/bundle';
import type { PreprocessingKind } from '../kind';

const params = table({
  size: integer(0, { min: 0 }),
  stride: integer(1, { min: 1 }),
  no_overlapping_labels: boolean(true),
  unique_label_per_window: boolean(true),
});

export function windowSet(set: DataSet, size: number, stride: number, dropMixed: boolean): DataSet {
  const channels = sampleSize(set.shape);
  const starts: number[] = [];
  const labels: number[] = [];
  for (let start = 0; start + size <= set.count; start += stride) {
    const counts = new Map<number, number>();
    for (let t = start; t < start + size; t++) counts.set(set.labels[t], (counts.get(set.labels[t]) ?? 0) + 1);
    if (counts.size > 1 && dropMixed) continue;
    let best = set.labels[start];
    for (const [label, n] of counts) if (n > (counts.get(best) ?? 0)) best = label;
    starts.push(start);
    labels.push(best);
  }
  const x = new Float32Array(starts.length * size * channels);
  starts.forEach((start, w) => {
    for (let i = 0; i < size * channels; i++) x[w * size * channels + i] = set.x[start * channels + i];
  });
  return { x, shape: [size, channels], labels: Int32Array.from(labels), count: starts.length };
}

export const Window = {
  kind: 'Window',
  summary: "Cuts time-ordered samples into windows of 'size' steps every 'stride' steps, one label per window",
  params,
  apply(bundle, p, ctx) {
    if (p.size <= 0) throw new ConfigError(`${ctx.where}: params.size must be set to the window length in time steps (it is ${p.size})`);
    if (!p.unique_label_per_window) throw new UnsupportedError(`${ctx.where}: unique_label_per_window = false (a label per time step) is not supported; Mote keeps one class per sample`);
    const shape = bundle.train.shape;
    if (shape.length > 2 || (shape.length === 2 && shape[0] !== 1)) throw new ConfigError(`${ctx.where}: Window expects time steps as samples (shape [channels]), got samples of shape [${shape.join(', ')}]; they look already windowed`);
    const out = { ...bundle };
    for (const [name, set] of setsOf(bundle)) {
      if (set.count < p.size) throw new ConfigError(`${ctx.where}: the ${name} set has ${set.count} time steps, fewer than the window size ${p.size}`);
      out[name] = windowSet(set, p.size, p.stride, p.no_overlapping_labels);
    }
    return out;
  },
} satisfies PreprocessingKind<ReturnType<typeof params.parse>>;
