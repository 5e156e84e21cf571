// Optimizer updates follow torch.optim's formulas; schedulers give torch's closed forms (and Qualia's
// SinDescent); metrics follow Qualia/torchmetrics on a known confusion matrix.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { accuracy, averageClassAccuracy, computeMetrics } from '../../src/core/training/metrics';
import { createOptimizer, createScheduler } from '../../src/core/training/train';
import { useBackend } from './helpers';

/** Runs `steps` optimizer steps on a 2-element parameter with the given gradient sequence. */
function run(config: { kind: string; params: Record<string, unknown> }, start: number[], grads: number[][], lr?: number): number[] {
  const optimizer = createOptimizer(config);
  const variable = tf.variable(tf.tensor1d(start), true, `p_${Math.random().toString(36).slice(2)}`);
  for (const g of grads) {
    const grad = tf.tensor1d(g);
    optimizer.step([variable], { [variable.name]: grad }, lr ?? optimizer.baseLr);
    grad.dispose();
  }
  const out = Array.from(variable.dataSync());
  variable.dispose();
  optimizer.dispose();
  return out;
}

describe('optimizers (torch.optim formulas)', () => {
  it('SGD with momentum, dampening and weight decay', async () => {
    await useBackend('cpu');
    // torch: g' = g + wd·p; buf = g' (first step) then buf = m·buf + (1 − d)·g'; p −= lr·buf
    const lr = 0.1, m = 0.9, d = 0.5, wd = 0.01;
    let p = 1, buf = 0;
    const gs = [0.5, -0.2, 0.3];
    gs.forEach((g, i) => { const gg = g + wd * p; buf = i === 0 ? gg : m * buf + (1 - d) * gg; p -= lr * buf; });
    const [actual] = run({ kind: 'SGD', params: { lr, momentum: m, dampening: d, weight_decay: wd } }, [1, 0], gs.map((g) => [g, 0]));
    expect(actual).toBeCloseTo(p, 6);
  });

  it('SGD nesterov', async () => {
    await useBackend('cpu');
    let p = 2, buf = 0;
    [1, 1].forEach((g, i) => { buf = i === 0 ? g : 0.9 * buf + g; p -= 0.1 * (g + 0.9 * buf); });
    expect(run({ kind: 'SGD', params: { lr: 0.1, momentum: 0.9, nesterov: true } }, [2, 0], [[1, 0], [1, 0]])[0]).toBeCloseTo(p, 6);
  });

  it('Adam: the first step moves each parameter by lr·sign(g)', async () => {
    await useBackend('cpu');
    const [a, b] = run({ kind: 'Adam', params: { lr: 0.01 } }, [1, 1], [[0.3, -4]]);
    expect(a).toBeCloseTo(0.99, 6);
    expect(b).toBeCloseTo(1.01, 6);
  });

  it('Adam with L2 weight decay vs AdamW with decoupled decay, three steps', async () => {
    await useBackend('cpu');
    const gs = [0.2, -0.1, 0.4];
    const reference = (decoupled: boolean) => {
      let p = 1, m = 0, v = 0;
      const lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.1;
      gs.forEach((g0, i) => {
        const t = i + 1;
        let g = g0;
        if (decoupled) p *= 1 - lr * wd; else g += wd * p;
        m = b1 * m + (1 - b1) * g;
        v = b2 * v + (1 - b2) * g * g;
        p -= (lr / (1 - b1 ** t)) * m / (Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps);
      });
      return p;
    };
    const adam = run({ kind: 'Adam', params: { lr: 0.05, weight_decay: 0.1 } }, [1, 0], gs.map((g) => [g, 0]))[0];
    const adamw = run({ kind: 'AdamW', params: { lr: 0.05, weight_decay: 0.1 } }, [1, 0], gs.map((g) => [g, 0]))[0];
    expect(adam).toBeCloseTo(reference(false), 6);
    expect(adamw).toBeCloseTo(reference(true), 6);
    expect(adam).not.toBeCloseTo(adamw, 4);
  });

  it('rejects an unknown optimizer or param with the supported list', () => {
    expect(() => createOptimizer({ kind: 'RMSprop' })).toThrow(/'RMSprop' is not supported by Mote; supported: Adam, AdamW, SGD/);
    expect(() => createOptimizer({ kind: 'SGD', params: { lr: 0.1, momentun: 0.9 } })).toThrow(/momentun.*did you mean 'momentum'/);
  });
});

describe('schedulers (per epoch, closed forms)', () => {
  it('StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR', () => {
    const step = createScheduler({ kind: 'StepLR', params: { step_size: 2, gamma: 0.5 } });
    expect([0, 1, 2, 3, 4].map((e) => step.lrAt(e, 0.1))).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    const multi = createScheduler({ kind: 'MultiStepLR', params: { milestones: [1, 3], gamma: 0.1 } });
    expect([0, 1, 2, 3].map((e) => multi.lrAt(e, 1))).toEqual([1, 0.1, 0.1, 0.1 * 0.1]);
    const exp = createScheduler({ kind: 'ExponentialLR', params: { gamma: 0.5 } });
    expect(exp.lrAt(3, 8)).toBe(1);
    const cos = createScheduler({ kind: 'CosineAnnealingLR', params: { T_max: 10, eta_min: 0.001 } });
    expect(cos.lrAt(0, 0.1)).toBeCloseTo(0.1, 12);
    expect(cos.lrAt(5, 0.1)).toBeCloseTo(0.0505, 12);
    expect(cos.lrAt(10, 0.1)).toBeCloseTo(0.001, 12);
  });

  it("Qualia's SinDescent", () => {
    const linear = createScheduler({ kind: 'SinDescent', params: { epoch: 10, pme: 0, w: 1, lr0: 0.1, lrf: 0.01 } });
    expect(linear.lrAt(0, 123)).toBeCloseTo(0.1, 12);
    expect(linear.lrAt(5, 123)).toBeCloseTo(0.055, 12);
    expect(linear.lrAt(10, 123)).toBeCloseTo(0.01, 12);
    const wave = createScheduler({ kind: 'SinDescent', params: { epoch: 10, pme: 0.02, w: 1, lr0: 0.1, lrf: 0.01 } });
    // t = 2.5: amplitude (1 − 0.25)·0.02, sin(π/2) = 1, linear part 0.1 − 0.09·0.25
    expect(wave.lrAt(2.5, 0)).toBeCloseTo(0.75 * 0.02 + 0.1 - 0.0225, 12);
  });
});

describe('metrics', () => {
  // actual (rows) × predicted (columns); class 3 never occurs nor is predicted.
  const confusion = [
    [5, 1, 0, 0],
    [2, 6, 2, 0],
    [0, 0, 4, 0],
    [0, 0, 0, 0],
  ];
  it('accuracy and micro prec/rec/f1', () => {
    expect(accuracy(confusion)).toBeCloseTo(15 / 20, 12);
    const m = computeMetrics(confusion);
    expect(m.prec).toBe(m.acc);
    expect(m.rec).toBe(m.acc);
    expect(m.f1).toBe(m.acc);
  });
  it('avgclsacc is the macro recall over the classes present', () => {
    expect(averageClassAccuracy(confusion)).toBeCloseTo((5 / 6 + 6 / 10 + 4 / 4) / 3, 12);
    // A class predicted but absent from the targets counts as 0 recall.
    expect(averageClassAccuracy([[1, 1], [0, 0]])).toBeCloseTo(0.25, 12);
  });
});
