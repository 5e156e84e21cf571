import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, UnsupportedError } from '../../src/core/base/errors';
import type { DataBundle, DataSet } from '../../src/core/data/bundle';
import { fromTransferable, makeSet, toTransferable } from '../../src/core/data/bundle';
import { applyPreprocessing, formatSummary, preprocessData, summarizeBundle } from '../../src/core/pipeline/prepare-data';
import { loadBundle, saveBundle } from '../../src/core/data/cache.node';
import { readNpy, writeNpy } from '../../src/core/data/npy';
import { planDft, planRealDft } from '../../src/core/preprocessing/fft';
import { planMfcc, mfccBatch } from '../../src/core/preprocessing/mfcc-frontend';
import type { MfccConfig } from '../../src/core/preprocessing/mfcc-frontend';

function set(shape: number[], count: number, value: (s: number, i: number) => number, label: (s: number) => number = (s) => s % 3): DataSet {
  const size = shape.reduce((a, b) => a * b, 1);
  return makeSet(Float32Array.from({ length: count * size }, (_, k) => value(Math.floor(k / size), k % size)), shape, Int32Array.from({ length: count }, (_, s) => label(s)));
}
function bundle(train: DataSet, test: DataSet, valid?: DataSet): DataBundle {
  const b: DataBundle = { name: 'T', train, test, classNames: ['a', 'b', 'c'] };
  if (valid) b.valid = valid;
  return b;
}

describe('Normalize', () => {
  const train = set([4, 2], 50, (s, i) => Math.sin(s * 1.3 + i) * (i + 1) * 3 + i * 10);
  const test = set([4, 2], 7, (s, i) => Math.cos(s + i) * 5 + 20);

  it('z-score with axis 0 (default): every train feature has mean 0 and std 1; test uses the train statistics', () => {
    const out = applyPreprocessing(bundle(train, test), [{ kind: 'Normalize' }]);
    for (let i = 0; i < 8; i++) {
      const v = Array.from({ length: 50 }, (_, s) => out.train.x[s * 8 + i]);
      const mean = v.reduce((a, b) => a + b, 0) / 50;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / 50);
      expect(mean).toBeCloseTo(0, 5);
      expect(std).toBeCloseTo(1, 5);
      const raw = Array.from({ length: 50 }, (_, s) => train.x[s * 8 + i]);
      const rm = raw.reduce((a, b) => a + b, 0) / 50;
      const rs = Math.sqrt(raw.reduce((a, b) => a + (b - rm) ** 2, 0) / 50);
      expect(out.test.x[3 * 8 + i]).toBeCloseTo((test.x[3 * 8 + i] - rm) / rs, 4);
    }
  });

  it('axis [0, 1] gives one statistic per channel; min-max maps train to [0, 1] per channel', () => {
    const out = applyPreprocessing(bundle(train, test), [{ kind: 'Normalize', params: { axis: [0, 1] } }]);
    for (let c = 0; c < 2; c++) {
      const v: number[] = [];
      for (let s = 0; s < 50; s++) for (let t = 0; t < 4; t++) v.push(out.train.x[s * 8 + t * 2 + c]);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      expect(mean).toBeCloseTo(0, 5);
      expect(Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length)).toBeCloseTo(1, 5);
    }
    const mm = applyPreprocessing(bundle(train, test), [{ kind: 'Normalize', params: { method: 'min-max', axis: [0, 1] } }]);
    for (let c = 0; c < 2; c++) {
      const v: number[] = [];
      for (let s = 0; s < 50; s++) for (let t = 0; t < 4; t++) v.push(mm.train.x[s * 8 + t * 2 + c]);
      expect(Math.min(...v)).toBeCloseTo(0, 6);
      expect(Math.max(...v)).toBeCloseTo(1, 6);
    }
  });

  it('rejects an axis outside the data and statistics that exclude the sample axis', () => {
    expect(() => applyPreprocessing(bundle(train, test), [{ kind: 'Normalize', params: { axis: 3 } }])).toThrow(/preprocessing\[0\] \(Normalize\): params.axis 3 is out of range for data of rank 3 \(\[N, 4, 2\]\)/);
    expect(() => applyPreprocessing(bundle(train, test), [{ kind: 'Normalize', params: { axis: 1 } }])).toThrow(ConfigError);
    expect(() => applyPreprocessing(bundle(train, test), [{ kind: 'Normalize', params: { methd: 'z-score' } }])).toThrow(/preprocessing\[0\].params.methd: unknown key 'methd' \(did you mean 'method'\?\)/);
  });
});

describe('DatasetSplitter, CopySet, Class2BinMatrix, DatamodelConverter, Reshape2DTo1D', () => {
  const train = set([3], 40, (s, i) => s * 10 + i);
  const test = set([3], 5, (s) => -s);

  it('DatasetSplitter moves round(ratio·n) seeded samples, no sample lost or duplicated, same seed same split', () => {
    const steps = [{ kind: 'DatasetSplitter', params: { source: 'train', dest: 'valid', ratio: 0.25 } }];
    const a = applyPreprocessing(bundle(train, test), steps, 7);
    const b = applyPreprocessing(bundle(train, test), steps, 7);
    const c = applyPreprocessing(bundle(train, test), steps, 8);
    expect(a.train.count).toBe(30);
    expect(a.valid!.count).toBe(10);
    const ids = (s: DataSet) => Array.from({ length: s.count }, (_, i) => s.x[i * 3] / 10);
    expect([...ids(a.train), ...ids(a.valid!)].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(ids(a.valid!)).toEqual(ids(b.valid!));
    expect(ids(a.valid!)).not.toEqual(ids(c.valid!));
    expect(Array.from(a.valid!.labels)).toEqual(ids(a.valid!).map((s) => s % 3));
  });

  it('CopySet copies without removing; the default dest test is appended to', () => {
    const out = applyPreprocessing(bundle(train, test), [{ kind: 'CopySet', params: { ratio: 0.5 } }], 1);
    expect(out.train.count).toBe(40);
    expect(out.test.count).toBe(25);
    expect(Array.from(out.test.x.slice(0, 15))).toEqual(Array.from(test.x));
  });

  it('Class2BinMatrix marks one-hot and keeps indices; DatamodelConverter is the identity', () => {
    const input = bundle(train, test);
    const out = applyPreprocessing(input, [{ kind: 'DatamodelConverter' }, { kind: 'Class2BinMatrix' }]);
    expect(out.oneHot).toBe(true);
    expect(out.train.labels).toBe(input.train.labels);
    expect(() => applyPreprocessing(input, [{ kind: 'Class2BinMatrix', params: { classes: 2 } }])).toThrow(/params.classes = 2 but the dataset has 3 classes/);
  });

  it('Reshape2DTo1D turns [h, w, c] into [h·w, c] without moving values', () => {
    const img = set([2, 3, 2], 4, (s, i) => s * 100 + i);
    const out = applyPreprocessing(bundle(img, img), [{ kind: 'Reshape2DTo1D' }]);
    expect(out.train.shape).toEqual([6, 2]);
    expect(out.train.x).toBe(img.x);
  });

  it('names unknown kinds with a suggestion', () => {
    expect(() => applyPreprocessing(bundle(train, test), [{ kind: 'Normalise' }])).toThrow(UnsupportedError);
    expect(() => applyPreprocessing(bundle(train, test), [{ kind: 'Normalise' }])).toThrow(/kind 'Normalise' is not supported \(did you mean 'Normalize'\?\)/);
  });
});

describe('Window', () => {
  // 20 time steps of 2 channels; labels 0 for t < 9, then 1.
  const stream = set([2], 20, (t, c) => t * 10 + c, (t) => (t < 9 ? 0 : 1));

  it('counts windows: floor((n − size)/stride) + 1, minus those spanning a label change', () => {
    const keepAll = applyPreprocessing(bundle(stream, stream), [{ kind: 'Window', params: { size: 4, stride: 2, no_overlapping_labels: false } }]);
    expect(keepAll.train.count).toBe(9);
    expect(keepAll.train.shape).toEqual([4, 2]);
    // starts 0,2,…,16; windows starting at 6 (6..9) and 8 (8..11) span the change at t = 9
    expect(Array.from(keepAll.train.labels)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1]);
    const strict = applyPreprocessing(bundle(stream, stream), [{ kind: 'Window', params: { size: 4, stride: 2 } }]);
    expect(strict.train.count).toBe(7);
    expect(Array.from(strict.train.labels)).toEqual([0, 0, 0, 1, 1, 1, 1]);
    // the 4th kept window starts at t = 10
    expect(Array.from(strict.train.x.slice(3 * 8, 4 * 8))).toEqual([100, 101, 110, 111, 120, 121, 130, 131]);
  });

  it('asks for a size and refuses per-step labels', () => {
    expect(() => applyPreprocessing(bundle(stream, stream), [{ kind: 'Window' }])).toThrow(/params.size must be set to the window length/);
    expect(() => applyPreprocessing(bundle(stream, stream), [{ kind: 'Window', params: { size: 4, unique_label_per_window: false } }])).toThrow(UnsupportedError);
  });
});

// --- MFCC against an independent reference: naive DFT, mel matrix built from the textbook formulas --------

function referenceMfcc(signal: number[], sr: number, nMfcc: number, nFft: number, win: number, hop: number, nMels: number, fMin: number, fMax: number, logMels: boolean): number[][] {
  const half = Math.floor(nFft / 2);
  // center=True: reflect padding
  const padded = [...signal.slice(1, half + 1).reverse(), ...signal, ...signal.slice(-half - 1, -1).reverse()];
  const frames = 1 + Math.floor((padded.length - nFft) / hop);
  const windowFn = (n: number) => { const off = Math.floor((nFft - win) / 2); const i = n - off; return i >= 0 && i < win ? 0.5 * (1 - Math.cos((2 * Math.PI * i) / win)) : 0; };
  const mel = (f: number) => 2595 * Math.log10(1 + f / 700);
  const imel = (m: number) => 700 * (Math.pow(10, m / 2595) - 1);
  const edges = Array.from({ length: nMels + 2 }, (_, i) => imel(mel(fMin) + (i * (mel(fMax) - mel(fMin))) / (nMels + 1)));
  const binHz = (k: number) => (k * Math.floor(sr / 2)) / half;
  const tri = (m: number, f: number) => (f <= edges[m] || f >= edges[m + 2] ? 0 : f <= edges[m + 1] ? (f - edges[m]) / (edges[m + 1] - edges[m]) : (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]));
  const melFrames: number[][] = [];
  for (let t = 0; t < frames; t++) {
    const power: number[] = [];
    for (let k = 0; k <= half; k++) {
      let re = 0, im = 0;
      for (let n = 0; n < nFft; n++) { const v = padded[t * hop + n] * windowFn(n); re += v * Math.cos((2 * Math.PI * k * n) / nFft); im -= v * Math.sin((2 * Math.PI * k * n) / nFft); }
      power.push(re * re + im * im);
    }
    melFrames.push(Array.from({ length: nMels }, (_, m) => power.reduce((a, p, k) => a + p * tri(m, binHz(k)), 0)));
  }
  let logged: number[][];
  if (logMels) logged = melFrames.map((f) => f.map((v) => Math.log(v + 1e-6)));
  else {
    const db = melFrames.map((f) => f.map((v) => 10 * Math.log10(Math.max(v, 1e-10))));
    const top = Math.max(...db.flat());
    logged = db.map((f) => f.map((v) => Math.max(v, top - 80)));
  }
  return Array.from({ length: nMfcc }, (_, k) => logged.map((f) => f.reduce((a, v, m) => a + v * Math.cos((Math.PI / nMels) * (m + 0.5) * k), 0) * Math.sqrt((k === 0 ? 1 : 2) / nMels)));
}

describe('MFCC front end', () => {
  it('radix-2 and Bluestein DFTs match a naive DFT', () => {
    for (const n of [16, 12, 400]) {
      const x = Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) + (i % 5) * 0.1);
      const re = Float64Array.from(x);
      const im = new Float64Array(n);
      planDft(n)(re, im); // 16: radix-2; 12 and 400: Bluestein
      for (const k of [0, 1, 5, n - 1]) {
        let r = 0, i = 0;
        for (let t = 0; t < n; t++) { r += x[t] * Math.cos((2 * Math.PI * k * t) / n); i -= x[t] * Math.sin((2 * Math.PI * k * t) / n); }
        expect(re[k]).toBeCloseTo(r, 8);
        expect(im[k]).toBeCloseTo(i, 8);
      }
    }
  });

  it('the real-signal DFT (n/2 packing) matches a naive DFT on bins 0..n/2, for even and odd n', () => {
    for (const n of [16, 400, 15]) {
      const x = Float64Array.from({ length: n }, (_, i) => Math.cos(i * 0.3) - (i % 3) * 0.2);
      const re = new Float64Array((n >> 1) + 1);
      const im = new Float64Array((n >> 1) + 1);
      planRealDft(n)(x, re, im);
      for (let k = 0; k <= n >> 1; k++) {
        let r = 0, i = 0;
        for (let t = 0; t < n; t++) { r += x[t] * Math.cos((2 * Math.PI * k * t) / n); i -= x[t] * Math.sin((2 * Math.PI * k * t) / n); }
        expect(re[k]).toBeCloseTo(r, 8);
        expect(im[k]).toBeCloseTo(i, 8);
      }
    }
  });

  const signal = Array.from({ length: 800 }, (_, t) => 0.5 * Math.sin((2 * Math.PI * 440 * t) / 8000) + 0.2 * Math.sin((2 * Math.PI * 1500 * t) / 8000 + 1) + 0.05 * Math.sin(t * t * 0.001));
  const cases: [string, MfccConfig][] = [
    ['log_mels, n_fft 256 (radix-2), win 200', { sample_rate: 8000, n_mfcc: 8, dct_type: 2, norm: 'ortho', log_mels: true, melkwargs: { n_fft: 256, win_length: 200, hop_length: 100, f_min: 20, f_max: 3800, pad: 0, n_mels: 20, power: 2, center: true } }],
    ['dB with top_db 80, n_fft 200 (Bluestein)', { sample_rate: 8000, n_mfcc: 6, dct_type: 2, norm: 'ortho', log_mels: false, melkwargs: { n_fft: 200, hop_length: 80, f_min: 0, pad: 0, n_mels: 16, power: 2, center: true } }],
  ];
  for (const [name, config] of cases) {
    it(`matches the reference: ${name}`, () => {
      const m = config.melkwargs;
      const win = m.win_length ?? m.n_fft;
      const ref = referenceMfcc(signal, config.sample_rate, config.n_mfcc, m.n_fft, win, m.hop_length!, m.n_mels, m.f_min, m.f_max ?? config.sample_rate / 2, config.log_mels);
      const plan = planMfcc(config, signal.length);
      expect(plan.frames).toBe(ref[0].length);
      const out = new Float32Array(config.n_mfcc * plan.frames);
      plan.run(signal, out);
      for (let k = 0; k < config.n_mfcc; k++) for (let t = 0; t < plan.frames; t++) expect(out[k * plan.frames + t]).toBeCloseTo(ref[k][t], 2);
    });
  }

  it("gives the 49 frames Qualia's GSC DS-CNN config expects (n_fft 1024, win 480, hop 320, pad 320, center false)", () => {
    const config: MfccConfig = { sample_rate: 16000, n_mfcc: 10, dct_type: 2, norm: 'ortho', log_mels: true, melkwargs: { n_fft: 1024, win_length: 480, hop_length: 320, f_min: 20, f_max: 4000, pad: 320, n_mels: 40, power: 2, center: false } };
    const plan = planMfcc(config, 16000);
    expect(plan.frames).toBe(49);
    const out = new Float32Array(10 * 49);
    plan.run(Float64Array.from({ length: 16000 }, (_, t) => Math.sin(t * 0.05)), out);
    expect(out.every(Number.isFinite)).toBe(true);
  });

  it('as a preprocessing step: [steps, 1] clips become [frames, n_mfcc] (dims 1) or [n_mfcc, frames, 1] (dims 2)', () => {
    const clips = set([800, 1], 3, (s, t) => signal[t] * (s + 1));
    const params = { sample_rate: 8000, n_mfcc: 8, log_mels: true, melkwargs: { n_fft: 256, hop_length: 100, n_mels: 20 } };
    const one = applyPreprocessing(bundle(clips, clips), [{ kind: 'MFCC', params }]);
    expect(one.train.shape).toEqual([9, 8]);
    const two = applyPreprocessing(bundle(clips, clips), [{ kind: 'MFCC', params: { ...params, dims: 2 } }]);
    expect(two.train.shape).toEqual([8, 9, 1]);
    // same numbers, transposed
    expect(two.train.x[1 * 72 + 3 * 9 + 5]).toBeCloseTo(one.train.x[1 * 72 + 5 * 8 + 3], 5);
    const direct = mfccBatch(clips.x, 3, [800, 1], { sample_rate: 8000, n_mfcc: 8, dct_type: 2, norm: 'ortho', log_mels: true, melkwargs: { n_fft: 256, hop_length: 100, f_min: 0, pad: 0, n_mels: 20, power: 2, center: true } }, 1);
    expect(Array.from(direct.x)).toEqual(Array.from(one.train.x));
    expect(() => applyPreprocessing(bundle(clips, clips), [{ kind: 'MFCC', params: { n_mfcc: 8 } }])).toThrow(/preprocessing\[0\].params.sample_rate: missing required key 'sample_rate'/);
  });
});

describe('preprocess_data, the .npy cache and the summary', () => {
  it('runs the dataset and the steps; saves Qualia\'s out/data/<name>/<set>/{data,labels}.npy and loads them back', async () => {
    const bundle = await preprocessData({
      dataset: { kind: 'Digits' },
      preprocessing: [{ kind: 'DatasetSplitter', params: { source: 'train', dest: 'valid', ratio: 0.1 } }, { kind: 'Class2BinMatrix' }],
      seed: 2,
    }, undefined);
    expect([bundle.train.count, bundle.valid!.count, bundle.test.count]).toEqual([1298, 144, 355]);
    const out = mkdtempSync(join(tmpdir(), 'mote-cache-'));
    try {
      const dir = await saveBundle(bundle, out);
      expect(dir).toBe(join(out, 'data', 'Digits'));
      const labels = readNpy(new Uint8Array(readFileSync(join(dir, 'valid', 'labels.npy'))), 'labels.npy');
      expect(labels.dtype).toBe('float32');
      expect(labels.shape).toEqual([144, 10]);
      const data = readNpy(new Uint8Array(readFileSync(join(dir, 'train', 'data.npy'))), 'data.npy');
      expect(data.shape).toEqual([1298, 8, 8, 1]);
      const back = (await loadBundle('Digits', out))!;
      expect(back.oneHot).toBe(true);
      expect(Array.from(back.valid!.labels)).toEqual(Array.from(bundle.valid!.labels));
      expect(Array.from(back.test.x)).toEqual(Array.from(bundle.test.x));
      expect(await loadBundle('Nothing', out)).toBeUndefined();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const summary = summarizeBundle(bundle);
    expect(summary.sets.map((s) => [s.set, s.count])).toEqual([['train', 1298], ['valid', 144], ['test', 355]]);
    expect(summary.sets[2].classCounts).toEqual([35, 36, 35, 36, 36, 36, 36, 35, 34, 36]);
    expect(formatSummary(summary).split('\n')[0]).toBe('Digits: 10 classes (one-hot targets)');
  });

  it('npy: header padded to 64 bytes, readable back; damaged files named', () => {
    const bytes = writeNpy({ dtype: 'int32', shape: [3], data: Int32Array.from([1, -2, 3]) });
    expect(new TextDecoder().decode(bytes.subarray(10, 70))).toContain("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }");
    expect((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64).toBe(0);
    expect(Array.from(readNpy(bytes, 'x.npy').data as Int32Array)).toEqual([1, -2, 3]);
    expect(() => readNpy(bytes.subarray(0, bytes.length - 2), 'x.npy')).toThrow(/x.npy: .npy size mismatch: shape \(3\) needs 12 data bytes, the file has 10 \(truncated\)/);
  });

  it('a bundle survives the worker transfer form without copies', () => {
    const b = bundle(set([2], 3, (s, i) => s + i), set([2], 2, (s) => s));
    const { message, transfer } = toTransferable(b);
    expect(transfer).toContain(b.train.x.buffer);
    const back = fromTransferable(structuredClone(message));
    expect(Array.from(back.train.x)).toEqual(Array.from(b.train.x));
  });
});
