// runPostprocessingJob (src/core/pipeline/postprocessing-job.ts), the one post-processing path of the CLI and
// of the app's training worker: steps in file order, each step's files handed over (and awaited) before the
// next starts, a cancel between steps or at a calibration batch, an unknown kind refused in words.

import { describe, expect, it } from 'vitest';
import { CancelledError, UnsupportedError } from '../../src/core/base/errors';
import type { PostprocessingSection } from '../../src/core/config/experiment';
import { runPostprocessingJob, type PostprocessingJob, type PostprocessingStepResult } from '../../src/core/pipeline/postprocessing-job';
import { buildGraph, randomData } from '../codegen/zoo';

const graph = buildGraph('bn_net', [
  { kind: 'Input', name: 'input', shape: [6, 6, 2] },
  { kind: 'Conv', name: 'conv1', dims: 2, filters: 4, kernel: [3, 3], stride: [1, 1], padding: [1, 1], groups: 1, useBias: false, activation: 'linear' },
  { kind: 'BatchNorm', name: 'bn1', epsilon: 1e-5, momentum: 0.1 },
  { kind: 'ReLU', name: 'relu1' },
  { kind: 'Flatten', name: 'flatten' },
  { kind: 'Dense', name: 'fc', units: 3, useBias: true, activation: 'linear' },
], 7);

const qat = { epochs: 0, batch_size: 16, model: { params: { quant_params: { bits: 8, quantype: 'fxp', roundtype: 'nearest', range_setting: 'minmax', LSQ: false } } } };
const count = 600;

function job(steps: unknown[]): PostprocessingJob {
  return {
    steps: steps as PostprocessingSection[], graph, name: 'bn_net', iteration: 1, model: {},
    train: { x: randomData([6, 6, 2], count, 3), shape: [6, 6, 2], labels: new Int32Array(count), count }, seed: 2,
  };
}

describe('runPostprocessingJob', () => {
  it('runs the steps in order; each step\'s files and exported graph reach onStep before the next step starts', async () => {
    const events: string[] = [];
    const steps: PostprocessingStepResult[] = [];
    const result = await runPostprocessingJob(job([
      { kind: 'FuseBatchNorm', export: true, params: { evaluate: true } },
      { kind: 'QuantizationAwareTraining', export: false, params: qat },
    ]), {
      onProgress: (step, done, total) => { if (events[events.length - 1] !== `progress ${step}`) events.push(`progress ${step}`); expect(done).toBeLessThanOrEqual(total); },
      onStep: async (step) => {
        events.push(`step ${step.where} start`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        steps.push(step);
        events.push(`step ${step.where} done`);
      },
    });
    expect(events).toEqual([
      'step postprocessing[0] start', 'step postprocessing[0] done',
      'progress postprocessing[1] QuantizationAwareTraining',
      'step postprocessing[1] start', 'step postprocessing[1] done',
    ]);
    expect(steps.map((s) => [s.kind, s.name, s.graph !== undefined])).toEqual([['FuseBatchNorm', 'bn_net_fused', true], ['QuantizationAwareTraining', 'bn_net_fused_q8_force_qoff_e0_LSQFalse', false]]);
    expect(Object.keys(steps[1].exports).some((path) => path.endsWith('_activations_range.txt'))).toBe(true);
    expect(steps[0].graph!.layers.map((l) => l.kind)).not.toContain('BatchNorm');
    expect(result.name).toBe('bn_net_fused_q8_force_qoff_e0_LSQFalse');
    expect(result.quantization).toBeDefined();
  });

  it('a cancel stops it at the next calibration batch with CancelledError; steps already done were handed over', async () => {
    const controller = new AbortController();
    const done: string[] = [];
    const run = runPostprocessingJob(job([
      { kind: 'FuseBatchNorm', export: false, params: { evaluate: true } },
      { kind: 'QuantizationAwareTraining', export: false, params: qat },
    ]), {
      signal: controller.signal,
      onProgress: () => controller.abort(),
      onStep: (step) => { done.push(step.kind); },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    await expect(run).rejects.toThrow(/post-processing of 'bn_net' was cancelled; the trained model is saved/);
    expect(done).toEqual(['FuseBatchNorm']);
  });

  it('an already cancelled job runs no step', async () => {
    const controller = new AbortController();
    controller.abort();
    let steps = 0;
    await expect(runPostprocessingJob(job([{ kind: 'FuseBatchNorm', export: false, params: { evaluate: true } }]), { signal: controller.signal, onStep: () => { steps++; } })).rejects.toBeInstanceOf(CancelledError);
    expect(steps).toBe(0);
  });

  it('refuses an unknown kind by name, with the supported ones', async () => {
    const run = runPostprocessingJob(job([{ kind: 'Prune', export: false, params: {} }]));
    await expect(run).rejects.toBeInstanceOf(UnsupportedError);
    await expect(run).rejects.toThrow(/^postprocessing\[0\]: kind 'Prune' is not supported by Mote yet; supported: .*FuseBatchNorm/);
  });
});
