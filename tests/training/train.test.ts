// End-to-end: a small CNN learns a separable synthetic problem on wasm; two runs with the same seed give
// identical losses and weights; cancellation leaves the caller's graph untouched; use_best_epoch keeps the
// weights of the best validation epoch.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { CancelledError } from '../../src/core/base/errors';
import { evaluateModel, trainModel, type TrainingSet } from '../../src/core/training/train';
import { buildCnn, synthetic } from './synthetic';

const data = { train: synthetic(240, 1), valid: synthetic(60, 2), test: synthetic(90, 3) };

describe('trainModel', () => {
  it('learns a separable problem on wasm, reproducibly', async () => {
    const graph = buildCnn();
    const before = JSON.stringify(Array.from(graph.weights['conv1/kernel'].data));
    const run = () => trainModel({
      graph, data, epochs: 6, batchSize: 16, seed: 42, backend: { order: ['wasm'] },
      optimizer: { kind: 'Adam', params: { lr: 0.01 } }, scheduler: { kind: 'StepLR', params: { step_size: 4, gamma: 0.5 } },
    });
    const first = await run();
    const tensorsAfterFirst = tf.memory().numTensors;
    const second = await run();
    // Nothing leaks from one run to the next (variables, optimizer slots, batch tensors).
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    expect(first.backend.name).toBe('wasm');
    expect(first.metrics.test!.metrics.acc).toBeGreaterThan(0.9);
    expect(first.history.map((h) => h.lr)).toEqual([0.01, 0.01, 0.01, 0.01, 0.005, 0.005]);
    expect(first.history[5].train.loss).toBeLessThan(first.history[0].train.loss);
    expect(second.history.map((h) => h.train.loss)).toEqual(first.history.map((h) => h.train.loss));
    expect(Array.from(second.graph.weights['fc2/kernel'].data)).toEqual(Array.from(first.graph.weights['fc2/kernel'].data));
    // BatchNorm moving statistics were updated during training.
    expect(Array.from(first.graph.weights['bn1/mean'].data).some((v) => v !== 0)).toBe(true);
    // The caller's graph is not modified.
    expect(JSON.stringify(Array.from(graph.weights['conv1/kernel'].data))).toBe(before);
    const confusion = first.confusion!;
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(90);
    // Evaluating the returned graph again gives the same test figures.
    const again = await evaluateModel({ graph: first.graph, set: data.test, backend: { order: ['wasm'] } });
    expect(again.confusion).toEqual(confusion);
    expect(again.loss).toBeCloseTo(first.metrics.test!.loss, 6);
  });

  it('stops at a batch when cancelled and throws CancelledError', async () => {
    const graph = buildCnn();
    const controller = new AbortController();
    const events: number[] = [];
    const run = trainModel({
      graph, data, epochs: 50, batchSize: 8, seed: 1, backend: { order: ['wasm'] }, signal: controller.signal, progressIntervalMs: 0,
      onProgress: (p) => { events.push(p.batch); if (p.phase === 'train' && p.epoch === 1 && p.batch === 3) controller.abort(); },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(events.length).toBeLessThan(10);
  });

  it('use_best_epoch keeps the weights of the best validation epoch', async () => {
    const graph = buildCnn(3);
    const result = await trainModel({
      graph, data, epochs: 5, batchSize: 32, seed: 7, backend: { order: ['wasm'] }, useBestEpoch: true,
      checkpointMetric: { name: 'val_loss', mode: 'min' }, optimizer: { kind: 'SGD', params: { lr: 0.05, momentum: 0.9 } },
    });
    const losses = result.history.map((h) => h.valid!.loss);
    const bestEpoch = losses.indexOf(Math.min(...losses)) + 1;
    expect(result.bestEpoch).toBe(bestEpoch);
    // Evaluating the kept weights on the validation set gives that epoch's validation loss.
    expect(result.metrics.valid!.loss).toBeCloseTo(losses[bestEpoch - 1], 5);
  });

  it('explains a label that does not fit the model', async () => {
    const bad = { ...data, test: { ...data.test, labels: Int32Array.from(data.test.labels, (l) => l + 3) } };
    await expect(trainModel({ graph: buildCnn(), data: bad, epochs: 1, batchSize: 8, seed: 0, backend: { order: ['wasm'] } })).rejects.toThrow(/label 3 at sample 0, but the model has 3 outputs/);
  });

  it('runs the augmentation hooks: shape-changing batches and soft labels', async () => {
    // Sets of 20 steps; the hooks keep the last 16 (like a Crop), the model expects 16.
    const widen = (set: TrainingSet): TrainingSet => {
      const x = new Float32Array(set.labels.length * 20 * 2);
      for (let n = 0; n < set.labels.length; n++) x.set(set.x.subarray(n * 32, (n + 1) * 32), n * 40 + 8);
      return { x, shape: [20, 2], labels: set.labels };
    };
    const crop = (batch: { x: Float32Array; count: number; labels: Int32Array }) => {
      const x = new Float32Array(batch.count * 32);
      for (let n = 0; n < batch.count; n++) x.set(batch.x.subarray(n * 40 + 8, (n + 1) * 40), n * 32);
      return { x, shape: [16, 2], labels: batch.labels, count: batch.count };
    };
    const wide = { train: widen(data.train), test: widen(data.test) };
    let softBatches = 0;
    const result = await trainModel({
      graph: buildCnn(), data: wide, epochs: 4, batchSize: 16, seed: 5, backend: { order: ['wasm'] }, optimizer: { kind: 'Adam', params: { lr: 0.01 } },
      augment: (batch) => {
        const out = crop(batch);
        // Label smoothing as soft labels: the loss must read them.
        const softLabels = new Float32Array(out.count * 3).fill(0.05);
        for (let i = 0; i < out.count; i++) softLabels[i * 3 + out.labels[i]] = 0.9;
        softBatches++;
        return { ...out, softLabels };
      },
      evaluationAugment: crop,
    });
    expect(softBatches).toBe(4 * 15);
    expect(result.metrics.test!.metrics.acc).toBeGreaterThan(0.85);
    await expect(trainModel({ graph: buildCnn(), data: wide, epochs: 1, batchSize: 16, seed: 5, backend: { order: ['wasm'] }, augment: crop }))
      .rejects.toThrow(/the test set has samples of shape \[20, 2\] but the model expects \[16, 2\]/);
  });
});
