// Quantization-aware training learns through fake quantization: from random weights, a few QAT epochs on
// a separable task give an integer model (run by the integer reference) that classifies it well, and the
// running activation ranges only grow from the calibration ones.

import { describe, expect, it } from 'vitest';
import { postprocessingKinds } from '../../src/core/postprocessing/registry';
import { quantizeInput, runIntReference } from '../../src/core/quantization/reference-int';
import { createRng } from '../../src/core/base/rng';
import { buildGraph } from '../codegen/zoo';

function separable(count: number, seed: number) {
  const rng = createRng(seed);
  const x = new Float32Array(count * 13);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < 13; j++) x[i * 13 + j] = rng.normal();
    labels[i] = x[i * 13] + 0.5 * x[i * 13 + 1] > 0 ? 1 : 0;
  }
  return { x, labels, count, shape: [13] };
}

describe('QuantizationAwareTraining with epochs > 0', () => {
  it('fine-tunes through fake quantization into an accurate int8 model', async () => {
    const graph = buildGraph('qat_mlp', [
      { kind: 'Input', name: 'input', shape: [13] },
      { kind: 'Dense', name: 'fc1', units: 16, useBias: true, activation: 'relu' },
      { kind: 'Dense', name: 'fc2', units: 2, useBias: true, activation: 'linear' },
    ], 41);
    const train = separable(384, 1);
    const params = postprocessingKinds.QuantizationAwareTraining.params.parse({ epochs: 6, batch_size: 32, optimizer: { params: { lr: 0.01 } }, model: { params: { quant_params: { bits: 8, quantype: 'fxp', roundtype: 'nearest', range_setting: 'minmax', LSQ: false } } } }, 'pp', []);
    const logs: string[] = [];
    const out = await postprocessingKinds.QuantizationAwareTraining.run(params, { graph, name: 'qat_mlp', iteration: 0, model: { optimizer: { kind: 'Adam', params: {} } }, train, seed: 3, log: (l) => logs.push(l) });
    expect(out.name).toBe('qat_mlp_q8_force_qoff_e6_LSQFalse');
    const losses = logs.filter((l) => l.startsWith('QAT epoch')).map((l) => Number(/loss ([\d.]+)/.exec(l)![1]));
    expect(losses).toHaveLength(6);
    expect(losses[5]).toBeLessThan(losses[0]);
    const q = out.quantization!.quantized;
    const test = separable(200, 2);
    let correct = 0;
    for (let i = 0; i < test.count; i++) {
      const raw = runIntReference(q, quantizeInput(q, test.x.subarray(i * 13, (i + 1) * 13)));
      if ((raw[1] > raw[0] ? 1 : 0) === test.labels[i]) correct++;
    }
    expect(correct / test.count).toBeGreaterThan(0.85);
    // The fine-tuned float weights are the graph the postprocessing hands on.
    expect(out.graph.weights['fc1/kernel'].data).not.toEqual(graph.weights['fc1/kernel'].data);
  }, 60_000);
});
