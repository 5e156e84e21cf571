import { describe, expect, it } from 'vitest';
import { augmentationKinds } from '../../src/core/augmentation/registry';
import type { Batch } from '../../src/core/augmentation/kind';
import { augmentationHook, augmentedShape, prepareAugmentations, runAugmentations } from '../../src/core/augmentation/pipeline';
import { warpPath } from '../../src/core/augmentation/kinds/time-warping';
import { sampleBeta } from '../../src/core/augmentation/kinds/mixup';
import { createRng } from '../../src/core/base/rng';
import type { Issue } from '../../src/core/base/schema';
import type { Augment } from '../../src/core/training/train';
import { mfccBatch } from '../../src/core/preprocessing/mfcc-frontend';

type Kinds = typeof augmentationKinds;
function run<K extends keyof Kinds>(kind: K, batch: Batch, input: Record<string, unknown> = {}, seed = 1): Batch {
  const issues: Issue[] = [];
  const params = augmentationKinds[kind].params.parse(input, 'p', issues);
  expect(issues).toEqual([]);
  return (augmentationKinds[kind].apply as (b: Batch, p: unknown, r: ReturnType<typeof createRng>) => Batch)(batch, params, createRng(seed));
}
function batch(shape: number[], count: number, value: (s: number, i: number) => number, classes = 3): Batch {
  const size = shape.reduce((a, b) => a * b, 1);
  const labels = new Float32Array(count * classes);
  for (let s = 0; s < count; s++) labels[s * classes + (s % classes)] = 1;
  return { x: Float32Array.from({ length: count * size }, (_, k) => value(Math.floor(k / size), k % size)), shape, labels, count, classes };
}

describe('every augmentation kind', () => {
  it("has Qualia's common params evaluate=false, before=false, after=true in its schema", () => {
    for (const [name, kind] of Object.entries(augmentationKinds)) {
      const shape = (kind.params as unknown as { shape: Record<string, { fallback?: () => unknown }> }).shape;
      expect([name, shape.evaluate?.fallback?.(), shape.before?.fallback?.(), shape.after?.fallback?.()]).toEqual([name, false, false, true]);
    }
  });
});

describe('noise and gain', () => {
  it('GaussianNoise adds zero-mean noise of std sigma; same seed, same noise', () => {
    const b = batch([100, 2], 20, () => 3);
    const out = run('GaussianNoise', b, { sigma: 0.5 });
    const d = Array.from(out.x, (v) => v - 3);
    const mean = d.reduce((a, v) => a + v, 0) / d.length;
    const std = Math.sqrt(d.reduce((a, v) => a + (v - mean) ** 2, 0) / d.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(std).toBeGreaterThan(0.47);
    expect(std).toBeLessThan(0.53);
    expect(Array.from(run('GaussianNoise', b, { sigma: 0.5 }).x)).toEqual(Array.from(out.x));
    expect(b.x[0]).toBe(3); // input untouched
  });

  it('Amplitude multiplies each channel of a sample by one gain within [low, high]', () => {
    const b = batch([10, 3], 5, (s, i) => 1 + s + i);
    const out = run('Amplitude', b, { low: 0.5, high: 1.5 });
    for (let s = 0; s < 5; s++) for (let c = 0; c < 3; c++) {
      const gains = Array.from({ length: 10 }, (_, t) => out.x[s * 30 + t * 3 + c] / b.x[s * 30 + t * 3 + c]);
      for (const g of gains) expect(g).toBeCloseTo(gains[0], 5);
      expect(gains[0]).toBeGreaterThanOrEqual(0.5);
      expect(gains[0]).toBeLessThan(1.5);
    }
  });
});

describe('time series', () => {
  it('TimeShifting is a circular roll of the whole sample', () => {
    const b = batch([16, 2], 6, (s, i) => s * 100 + i);
    const out = run('TimeShifting', b, { alpha: 1 });
    let moved = 0;
    for (let s = 0; s < 6; s++) {
      const shift = ((out.x[s * 32] - s * 100) / 2) | 0; // where step 0 came from
      const k = (16 - shift) % 16;
      if (k !== 0) moved++;
      for (let t = 0; t < 16; t++) for (let c = 0; c < 2; c++) expect(out.x[s * 32 + ((t + k) % 16) * 2 + c]).toBe(b.x[s * 32 + t * 2 + c]);
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('TimeWarping keeps the length and the endpoints, and the warp is monotonic', () => {
    const b = batch([50, 2], 8, (s, i) => Math.sin(i * 0.1 + s));
    const out = run('TimeWarping', b, { sigma: 0.4 });
    expect(out.x.length).toBe(b.x.length);
    expect(out.shape).toEqual([50, 2]);
    for (let s = 0; s < 8; s++) for (const t of [0, 49]) for (let c = 0; c < 2; c++) expect(out.x[s * 100 + t * 2 + c]).toBeCloseTo(b.x[s * 100 + t * 2 + c], 6);
    expect(Array.from(out.x)).not.toEqual(Array.from(b.x));
    const rng = createRng(3);
    const path = warpPath(50, 0.4, rng.normal);
    expect(path[0]).toBe(0);
    expect(path[49]).toBe(49);
    for (let t = 1; t < 50; t++) expect(path[t]).toBeGreaterThan(path[t - 1]);
  });

  it('Cutout1D zeroes one contiguous segment of every channel and leaves the rest', () => {
    const b = batch([40, 2], 10, () => 1);
    const out = run('Cutout1D', b, { length_sigma: 3 });
    let cut = 0;
    for (let s = 0; s < 10; s++) {
      const zero = Array.from({ length: 40 }, (_, t) => out.x[s * 80 + t * 2] === 0);
      for (let t = 0; t < 40; t++) expect(out.x[s * 80 + t * 2 + 1] === 0).toBe(zero[t]);
      const first = zero.indexOf(true);
      const last = zero.lastIndexOf(true);
      if (first >= 0) { cut++; for (let t = first; t <= last; t++) expect(zero[t]).toBe(true); }
    }
    expect(cut).toBeGreaterThan(5);
  });
});

describe('images', () => {
  const img = batch([4, 5, 2], 3, (s, i) => s * 1000 + i + 1);
  it('Crop with the full size and no padding is the identity; with padding the window holds known pixels and zeros', () => {
    expect(Array.from(run('Crop', img, { size: [4, 5] }).x)).toEqual(Array.from(img.x));
    const out = run('Crop', img, { size: 4, padding: 2 });
    expect(out.shape).toEqual([4, 4, 2]);
    for (let s = 0; s < 3; s++) {
      // every non-zero output pixel equals the source pixel it came from: find the offset from one of them
      const values = Array.from(out.x.slice(s * 32, (s + 1) * 32));
      const nonZero = values.map((v, i) => [v, i] as const).filter(([v]) => v !== 0);
      expect(nonZero.length).toBeGreaterThan(0);
      const [v0, i0] = nonZero[0];
      const src = v0 - 1 - s * 1000; // flat index in the source sample
      const [sy, sx, k] = [Math.floor(src / 10), Math.floor((src % 10) / 2), src % 2];
      const [oy, ox] = [Math.floor(i0 / 8), Math.floor((i0 % 8) / 2)];
      expect(i0 % 2).toBe(k);
      for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) for (let c = 0; c < 2; c++) {
        const yy = y - oy + sy, xx = x - ox + sx;
        const expected = yy >= 0 && yy < 4 && xx >= 0 && xx < 5 ? img.x[s * 40 + (yy * 5 + xx) * 2 + c] : 0;
        expect(out.x[s * 32 + (y * 4 + x) * 2 + c]).toBe(expected);
      }
    }
  });

  it('HorizontalFlip with p = 1 mirrors the width axis, twice is the identity; p = 0 changes nothing', () => {
    const once = run('HorizontalFlip', img, { p: 1 });
    expect(once.x[0 * 10 + 0]).toBe(img.x[4 * 2]); // (0,0) ← (0,4)
    expect(once.x[(2 * 5 + 1) * 2 + 1]).toBe(img.x[(2 * 5 + 3) * 2 + 1]);
    expect(Array.from(run('HorizontalFlip', once, { p: 1 }).x)).toEqual(Array.from(img.x));
    expect(Array.from(run('HorizontalFlip', img, { p: 0 }).x)).toEqual(Array.from(img.x));
  });

  it('Rotation2D by exactly 90° moves known pixels; four turns give the image back', () => {
    const square = batch([3, 3, 1], 1, (_s, i) => i + 1); // 1 2 3 / 4 5 6 / 7 8 9
    const turn = (b: Batch) => run('Rotation2D', b, { angle: [90, 90] });
    const once = turn(square);
    expect(Array.from(once.x)).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    expect(Array.from(turn(turn(turn(once))).x)).toEqual(Array.from(square.x));
    const small = run('Rotation2D', square, { angle: 0 });
    expect(Array.from(small.x)).toEqual(Array.from(square.x));
  });
});

describe('Mixup', () => {
  it('mixes inputs and labels with the same λ and the same partner', () => {
    const b = batch([4], 6, (s, i) => Math.sin(s * 2.1 + i * i * 0.7) + s, 3);
    const out = run('Mixup', b, { alpha: 0.4 }, 5);
    for (let s = 0; s < 6; s++) {
      // find λ and partner o such that x = λ x_s + (1-λ) x_o for all features, then check the labels
      let found = false;
      for (let o = 0; o < 6 && !found; o++) {
        const denom = b.x[s * 4] - b.x[o * 4];
        const lambda = o === s ? 1 : (out.x[s * 4] - b.x[o * 4]) / denom;
        const fits = [0, 1, 2, 3].every((i) => Math.abs(out.x[s * 4 + i] - (lambda * b.x[s * 4 + i] + (1 - lambda) * b.x[o * 4 + i])) < 1e-3);
        if (!fits) continue;
        found = true;
        for (let k = 0; k < 3; k++) expect(out.labels[s * 3 + k]).toBeCloseTo(lambda * b.labels[s * 3 + k] + (1 - lambda) * b.labels[o * 3 + k], 4);
      }
      expect(found).toBe(true);
    }
    // labels still sum to 1
    for (let s = 0; s < 6; s++) expect(out.labels[s * 3] + out.labels[s * 3 + 1] + out.labels[s * 3 + 2]).toBeCloseTo(1, 5);
  });

  it('Beta(α, α) samples have mean 1/2 and variance 1/(4(2α+1))', () => {
    const rng = createRng(11);
    const v = Array.from({ length: 20000 }, () => sampleBeta(0.4, rng));
    const mean = v.reduce((a, x) => a + x, 0) / v.length;
    const variance = v.reduce((a, x) => a + (x - mean) ** 2, 0) / v.length;
    expect(mean).toBeCloseTo(0.5, 1);
    expect(variance).toBeCloseTo(1 / (4 * 1.8), 2);
  });
});

describe('conversions', () => {
  it('IntToFloat32 scale divides uint8 data by 255 and refuses float data; Normalize uses per-channel mean/std', () => {
    const b = { ...batch([2, 2], 1, (_s, i) => i * 85), sourceDtype: 'uint8' as const };
    expect(Array.from(run('IntToFloat32', b, { scale: true }).x)).toEqual([0, 85 / 255, 170 / 255, 1].map(Math.fround));
    expect(run('IntToFloat32', b).x).toBe(b.x);
    expect(() => run('IntToFloat32', { ...b, sourceDtype: 'float32' }, { scale: true })).toThrow(/load it with params.dtype = 'uint8'/);
    const n = run('Normalize', batch([2, 2], 1, (_s, i) => i), { mean: [1, 2], std: [2, 4] });
    expect(Array.from(n.x)).toEqual([-0.5, -0.25, 0.5, 0.25]);
    expect(() => run('Normalize', b, { mean: [1, 2, 3], std: 1 })).toThrow(/mean has 3 values, the samples have 2 channels/);
  });

  it('MFCC as an augmentation equals the preprocessing front end and changes the shape', () => {
    const clips = batch([400, 1], 2, (s, t) => Math.sin(t * 0.3 * (s + 1)));
    const params = { sample_rate: 8000, n_mfcc: 5, log_mels: true, melkwargs: { n_fft: 128, hop_length: 64, n_mels: 12 } };
    const out = run('MFCC', clips, params);
    const direct = mfccBatch(clips.x, 2, [400, 1], { sample_rate: 8000, n_mfcc: 5, dct_type: 2, norm: 'ortho', log_mels: true, melkwargs: { n_fft: 128, hop_length: 64, f_min: 0, pad: 0, n_mels: 12, power: 2, center: true } }, 1);
    expect(out.shape).toEqual(direct.shape);
    expect(Array.from(out.x)).toEqual(Array.from(direct.x));
  });
});

describe('the augmentation pipeline', () => {
  it('runs before-ones first, keeps only evaluate=true at evaluation, and reports the model input shape', () => {
    const prepared = prepareAugmentations([
      { kind: 'GaussianNoise', params: { sigma: 1 } },
      { kind: 'IntToFloat32', params: { scale: true, evaluate: true, before: true } },
      { kind: 'Crop', params: { size: 3, evaluate: true } },
    ]);
    expect(prepared.map((a) => a.kind)).toEqual(['IntToFloat32', 'GaussianNoise', 'Crop']);
    const b = { ...batch([4, 4, 1], 2, () => 255), sourceDtype: 'uint8' as const };
    const evaluated = runAugmentations(b, prepared, createRng(1), 'evaluate');
    expect(evaluated.shape).toEqual([3, 3, 1]);
    expect(new Set(evaluated.x)).toEqual(new Set([1]));
    expect(augmentedShape([4, 4, 1], 3, prepared)).toEqual([3, 3, 1]);
    expect(() => prepareAugmentations([{ kind: 'Mixup', params: { alpah: 1 } }])).toThrow(/data_augmentation\[0\].params.alpah: unknown key 'alpah' \(did you mean 'alpha'\?\)/);
    expect(() => prepareAugmentations([{ kind: 'AutoAugment' }])).toThrow(/kind 'AutoAugment' is not supported/);
  });
});

describe('augmentationHook (for a loop with class-index batches)', () => {
  it('round-trips labels, applies evaluate-only kinds at evaluation, and refuses Mixup unless soft labels are accepted', () => {
    const prepared = prepareAugmentations([{ kind: 'IntToFloat32', params: { scale: true, evaluate: true } }, { kind: 'GaussianNoise', params: { sigma: 0.1 } }]);
    const hook: Augment = augmentationHook(prepared, { classes: 3, sourceDtype: 'uint8', phase: 'evaluate' }); // fits the trainer's hook type
    void hook;
    const run1 = augmentationHook(prepared, { classes: 3, sourceDtype: 'uint8', phase: 'evaluate' });
    const out = run1({ x: Float32Array.from([255, 0, 51, 102]), shape: [2], labels: Int32Array.from([2, 1]), count: 2 }, createRng(1));
    expect(Array.from(out.x)).toEqual([1, 0, 0.2, 0.4].map(Math.fround));
    expect(Array.from(out.labels)).toEqual([2, 1]);
    expect(out.softLabels).toBeUndefined();
    const mix = prepareAugmentations([{ kind: 'Mixup', params: { alpha: 1 } }]);
    expect(() => augmentationHook(mix, { classes: 3, sourceDtype: 'float32', phase: 'train' })).toThrow(/Mixup\): the training loop does not take soft labels yet/);
    const soft = augmentationHook(mix, { classes: 3, sourceDtype: 'float32', phase: 'train', acceptsSoftLabels: true })({ x: Float32Array.from([1, 2, 3, 4]), shape: [1], labels: Int32Array.from([0, 1, 2, 0]), count: 4 }, createRng(2));
    expect(soft.softLabels?.length).toBe(12);
    expect(augmentationHook(mix, { classes: 3, sourceDtype: 'float32', phase: 'evaluate' })).toBeTypeOf('function');
  });
});
