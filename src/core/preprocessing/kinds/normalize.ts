// Normalize (Qualia): statistics over the given axes of the *train* array [N, ...shape] (axis None → (0,),
// i.e. per feature over samples), applied to every set so valid/test use the train statistics.
// z-score: (x − mean) / std (population std, as numpy); min-max: (x − min) / (max − min).
// A constant feature (std or range 0) is only centred (divided by 1) instead of becoming NaN.

import { ConfigError } from '../../base/errors';
import { boolean, integer, list, oneOf, optional, table, union } from '../../base/schema';
import type { DataSet } from '../../data/bundle';
import { asFloat32, sampleSize, setsOf } from '../../data/bundle';
import type { PreprocessingKind } from '../kind';

const params = table({
  method: oneOf(['z-score', 'min-max'] as const, 'z-score'),
  axis: optional(union<number | number[]>([integer(), list(integer())])),
  debug: boolean(false),
});

export interface AxisStats { statShape: number[]; a: Float64Array; b: Float64Array }

/** Maps each flat index of one sample to its statistics slot; axis 0 (samples) is always reduced. */
export function statIndexer(shape: number[], axes: number[]): { slots: Int32Array; slotCount: number; perSample: boolean } {
  const full = [0, ...shape];
  const reduced = new Set(axes.map((a) => (a < 0 ? a + full.length : a)));
  const keep = shape.map((_, i) => !reduced.has(i + 1));
  const size = sampleSize(shape);
  const slots = new Int32Array(size);
  let slotCount = 1;
  for (let d = 0; d < shape.length; d++) if (keep[d]) slotCount *= shape[d];
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    let slot = 0;
    let mult = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const coord = rest % shape[d];
      rest = Math.floor(rest / shape[d]);
      if (keep[d]) { slot += coord * mult; mult *= shape[d]; }
    }
    slots[flat] = slot;
  }
  return { slots, slotCount, perSample: !reduced.has(0) };
}

export function computeStats(set: DataSet, method: 'z-score' | 'min-max', slots: Int32Array, slotCount: number): { offset: Float64Array; scale: Float64Array } {
  const size = slots.length;
  const offset = new Float64Array(slotCount);
  const scale = new Float64Array(slotCount);
  if (method === 'z-score') {
    const sum = new Float64Array(slotCount);
    const sq = new Float64Array(slotCount);
    const n = new Float64Array(slotCount);
    for (let i = 0; i < set.x.length; i++) { const s = slots[i % size]; const v = set.x[i]; sum[s] += v; n[s]++; }
    for (let s = 0; s < slotCount; s++) offset[s] = sum[s] / n[s];
    for (let i = 0; i < set.x.length; i++) { const s = slots[i % size]; const d = set.x[i] - offset[s]; sq[s] += d * d; }
    for (let s = 0; s < slotCount; s++) { const std = Math.sqrt(sq[s] / n[s]); scale[s] = std > 0 ? std : 1; }
  } else {
    const min = new Float64Array(slotCount).fill(Infinity);
    const max = new Float64Array(slotCount).fill(-Infinity);
    for (let i = 0; i < set.x.length; i++) { const s = slots[i % size]; const v = set.x[i]; if (v < min[s]) min[s] = v; if (v > max[s]) max[s] = v; }
    for (let s = 0; s < slotCount; s++) { offset[s] = min[s]; scale[s] = max[s] > min[s] ? max[s] - min[s] : 1; }
  }
  return { offset, scale };
}

export const Normalize = {
  kind: 'Normalize',
  summary: "Z-score or min-max normalisation with statistics from the train set over 'axis' (default 0: per feature), applied to all sets",
  params,
  apply(bundle, p, ctx) {
    const axes = p.axis === undefined ? [0] : Array.isArray(p.axis) ? p.axis : [p.axis];
    const rank = bundle.train.shape.length + 1;
    for (const a of axes) if (a >= rank || a < -rank) throw new ConfigError(`${ctx.where}: params.axis ${a} is out of range for data of rank ${rank} ([N, ${bundle.train.shape.join(', ')}])`);
    const { slots, slotCount, perSample } = statIndexer(bundle.train.shape, axes);
    if (perSample) throw new ConfigError(`${ctx.where}: params.axis must include 0 (the sample axis): statistics come from the train set and are applied to valid/test`);
    const { offset, scale } = computeStats(bundle.train, p.method, slots, slotCount);
    const out = { ...bundle };
    for (const [name, set] of setsOf(bundle)) {
      const src = asFloat32(set.x);
      const x = new Float32Array(src.length);
      const size = slots.length;
      for (let i = 0; i < src.length; i++) { const s = slots[i % size]; x[i] = (src[i] - offset[s]) / scale[s]; }
      out[name] = { ...set, x };
    }
    return out;
  },
} satisfies PreprocessingKind<ReturnType<typeof params.parse>>;
