// "Try it live" on the app's default experiment (conf/digits/cnn_int8_runtime.toml, the runtime route) trained
// by the real CLI: a digit of the embedded dataset given in its own units (8 × 8 values 0..16) is prepared
// exactly as the run's test samples were and classified as its label by the float model (tfjs) and by the int8 integer reference; a drawing
// (strokes) becomes an optdigits-like sample, and a drawn vertical stroke reads as a 1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { nodeWorkspace } from '../../src/core/base/workspace.node';
import { loadExperimentFile } from '../../src/core/config/load-file.node';
import type { Experiment } from '../../src/core/config/experiment';
import { loadBundle } from '../../src/core/data/cache.node';
import type { DataBundle } from '../../src/core/data/bundle';
import { drawingToDigit } from '../../src/core/data/digit-drawing';
import { datasetCacheName } from '../../src/core/pipeline/dataset.node';
import { evaluationSet } from '../../src/core/pipeline/deploy';
import { loadDataset } from '../../src/core/pipeline/prepare-data';
import { loadResults } from '../../src/core/pipeline/results-store';
import { loadLiveModel, type LiveModel } from '../../src/core/pipeline/try-live';
import { useBackend } from '../training/helpers';

const root = resolve(__dirname, '../..');
const config = join(root, 'conf/digits/cnn_int8_runtime.toml');
let workdir: string;
let experiment: Experiment;
let raw: DataBundle;
let live: LiveModel;

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), 'mote-try-live-'));
  const r = spawnSync(process.execPath, [join(root, 'bin/mote.js'), config, 'preprocess_data', 'train'], { cwd: workdir, encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`mote preprocess_data train exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  const loaded = loadExperimentFile(config);
  experiment = loaded.experiment!;
  await useBackend('cpu');
  raw = await loadDataset(experiment.dataset, undefined);
  live = await loadLiveModel(experiment, nodeWorkspace(workdir), await loadResults(nodeWorkspace(workdir), experiment, config), raw);
}, 600_000);

afterAll(() => { live?.dispose(); rmSync(workdir, { recursive: true, force: true }); });

describe('try it live on the default digits experiment', () => {
  test('an example is prepared exactly as the run prepared its test samples (min-max over the train set: 0..16 → 0..1)', async () => {
    const preprocessed = (await loadBundle(datasetCacheName(experiment.dataset), join(workdir, 'out')))!;
    const set = evaluationSet(experiment, preprocessed);
    for (const i of [0, 1, 17]) {
      const example = Float32Array.from(raw.test.x.subarray(i * 64, (i + 1) * 64));
      expect(Array.from(live.prepare(example))).toEqual(Array.from(set.x.subarray(i * 64, (i + 1) * 64)));
      expect(Array.from(live.prepare(example))).toEqual(Array.from(example, (v) => v / 16));
    }
    expect(live.rawShape).toEqual([8, 8, 1]);
    expect(live.inputShape).toEqual([8, 8, 1]);
  });

  test('known digits of the embedded test set are classified as their label by the float model and the int8 reference', async () => {
    const results = [];
    for (let i = 0; i < 20; i++) {
      const r = await live.classify(Float32Array.from(raw.test.x.subarray(i * 64, (i + 1) * 64)));
      results.push({ label: raw.test.labels[i], float: r.float.predicted, integer: r.integer?.predicted });
      expect(r.integer?.format).toBe('int8');
      expect(r.float.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(r.integer!.scores.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    // The first test digit, named: the float model and the reference both say its label.
    expect(results[0]).toEqual({ label: results[0].label, float: results[0].label, integer: results[0].label });
    expect(results.filter((r) => r.float === r.label && r.integer === r.label).length).toBeGreaterThanOrEqual(18);
  });

  test('a drawing becomes an optdigits-like 8 × 8 sample, and a vertical stroke is read as a 1 by both', async () => {
    const one = drawingToDigit([[{ x: 150, y: 30 }, { x: 151, y: 60 }, { x: 150, y: 250 }]]);
    expect(one.length).toBe(64);
    expect(Math.max(...one)).toBeLessThanOrEqual(16);
    for (let row = 0; row < 8; row++) {
      // Ink in the middle two columns only, as the dataset's ones.
      expect([0, 1, 2, 5, 6, 7].map((c) => one[row * 8 + c])).toEqual([0, 0, 0, 0, 0, 0]);
      expect(one[row * 8 + 3] + one[row * 8 + 4]).toBeGreaterThanOrEqual(20);
    }
    expect(Array.from(drawingToDigit([]))).toEqual(new Array(64).fill(0));
    const r = await live.classify(one);
    expect(live.classNames[r.float.predicted]).toBe('1');
    expect(live.classNames[r.integer!.predicted]).toBe('1');
  });
});
