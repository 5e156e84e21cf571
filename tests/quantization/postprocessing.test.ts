// FuseBatchNorm and QuantizationAwareTraining(FX) as postprocessing kinds: schemas (what Qualia configs
// use, what Mote refuses), the quant_params merge rule, naming, activations_range.txt, and outputs.

import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/core/base/schema';
import { forwardFloat } from '../../src/core/models/reference-float';
import { fuseBatchNorm } from '../../src/core/postprocessing/fuse-batchnorm';
import { postprocessingKinds } from '../../src/core/postprocessing/registry';
import { effectiveQuantParams, type QuantizationAwareTrainingParams } from '../../src/core/postprocessing/quantization-aware-training';
import { parseActivationsRange } from '../../src/core/quantization/activations-range';
import { resolveQuantizers, type QuantParams } from '../../src/core/quantization/quant-params';
import { quantizeInput, runIntReference } from '../../src/core/quantization/reference-int';
import { buildGraph, randomData, zoo } from '../codegen/zoo';

function parseQat(params: unknown): { value: QuantizationAwareTrainingParams; issues: Issue[] } {
  const issues: Issue[] = [];
  const value = postprocessingKinds.QuantizationAwareTraining.params.parse(params, 'postprocessing[0].params', issues);
  return { value, issues };
}

const qualiaInt8 = { epochs: 0, batch_size: 64, model: { params: { quant_params: { bits: 8, quantype: 'fxp', roundtype: 'floor', range_setting: 'minmax', LSQ: false } } } };

describe('FuseBatchNorm', () => {
  const graph = buildGraph('bn_net', [
    { kind: 'Input', name: 'input', shape: [9, 8, 3] },
    { kind: 'Conv', name: 'conv1', dims: 2, filters: 5, kernel: [3, 3], stride: [1, 1], padding: [1, 1], groups: 1, useBias: false, activation: 'linear' },
    { kind: 'BatchNorm', name: 'bn1', epsilon: 1e-5, momentum: 0.1 },
    { kind: 'ReLU', name: 'relu1' },
    { kind: 'Flatten', name: 'flatten' },
    { kind: 'Dense', name: 'fc', units: 6, useBias: true, activation: 'linear' },
    { kind: 'BatchNorm', name: 'bn2', epsilon: 1e-3, momentum: 0.1 },
  ], 31);

  it('folds every Conv/Dense + BatchNorm and preserves outputs within 1e-5', () => {
    const { graph: fused, fused: names } = fuseBatchNorm(graph);
    expect(names).toEqual(['bn1', 'bn2']);
    expect(fused.layers.map((l) => l.kind)).toEqual(['Input', 'Conv', 'ReLU', 'Flatten', 'Dense']);
    const x = randomData([9, 8, 3], 16, 5);
    const before = forwardFloat(graph, { data: x, batch: 16 }).output;
    const after = forwardFloat(fused, { data: x, batch: 16 }).output;
    let scale = 0;
    for (const v of before) scale = Math.max(scale, Math.abs(v));
    for (let i = 0; i < before.length; i++) expect(Math.abs(after[i] - before[i]) / scale).toBeLessThan(1e-5);
    expect(graph.layers).toHaveLength(7); // the input graph is untouched
  });

  it('renames the model <name>_fused', async () => {
    const out = await postprocessingKinds.FuseBatchNorm.run({ evaluate: true }, { graph, name: 'bn_net', iteration: 1, model: {} });
    expect(out.name).toBe('bn_net_fused');
  });
});

describe('QuantizationAwareTraining params', () => {
  it('accepts what the upstream deployment configs write', () => {
    const { value, issues } = parseQat({ ...qualiaInt8, evaluate_before: false, model: { params: { quant_params: { ...qualiaInt8.model.params.quant_params, input: { quant_enable: false }, bias: { quant_enable: true }, force_q: 9 } } } });
    expect(issues).toEqual([]);
    expect(value.batch_size).toBe(64);
  });

  it('has Qualia defaults and requires model.params.quant_params', () => {
    const { value, issues } = parseQat({ model: { params: { quant_params: { bits: 16, quantype: 'fxp' } } } });
    expect(issues).toEqual([]);
    expect([value.epochs, value.batch_size, value.evaluate_before]).toEqual([1, 32, true]);
    expect(parseQat({}).issues.map((i) => i.path)).toEqual(['postprocessing[0].params.model']);
    expect(parseQat({ model: { params: {} } }).issues.map((i) => i.path)).toEqual(['postprocessing[0].params.model.params.quant_params']);
    expect(parseQat({ ...qualiaInt8, model: { params: { quant_params: { roundtype: 'round' } } } }).issues[0].message).toMatch(/one of "nearest", "floor", "ceil"/);
  });

  it('refuses by name what Mote cannot deploy', () => {
    const base: QuantParams = { ...qualiaInt8.model.params.quant_params } as QuantParams;
    expect(() => resolveQuantizers({ ...base, LSQ: true }, 'qp')).toThrow(/qp\.LSQ = true: learned step-size/);
    expect(() => resolveQuantizers({ ...base, quantype: 'fake' }, 'qp')).toThrow(/qp\.quantype = "fake"/);
    expect(() => resolveQuantizers({ ...base, range_setting: 'MSE_analysis' }, 'qp')).toThrow(/only "minmax"/);
    expect(() => resolveQuantizers({ ...base, is_asymmetric: true }, 'qp')).toThrow(/asymmetric/);
    expect(() => resolveQuantizers({ ...base, w: { LSQ: true } } as QuantParams, 'qp')).toThrow(/qp\.w\.LSQ = true/);
    expect(() => resolveQuantizers({ ...base, act: { quant_enable: false } } as QuantParams, 'qp')).toThrow(/qp\.act\.quant_enable = false/);
  });

  it('merges update.quant_params (shallow, wins) and the model’s own quant_params (fills only)', () => {
    const { value } = parseQat(qualiaInt8);
    const merged = effectiveQuantParams(value, { update: { quant_params: { bits: 16, force_q: 9 } }, params: { quant_params: { bits: 4, roundtype: 'ceil', input: { quant_enable: false } } } });
    expect(merged.bits).toBe(16);
    expect(merged.force_q).toBe(9);
    expect(merged.roundtype).toBe('floor');
    expect(merged.input).toEqual({ quant_enable: false });
  });
});

describe('QuantizationAwareTraining run (PTQ, epochs = 0)', () => {
  const graph = zoo.residual1d();
  const train = { x: randomData([16, 3], 40, 77), labels: new Int32Array(40), count: 40, shape: [16, 3] };

  it('calibrates, renames, exports activations_range.txt and gives an integer model close to float', async () => {
    const { value } = parseQat(qualiaInt8);
    for (const kind of ['QuantizationAwareTraining', 'QuantizationAwareTrainingFX'] as const) {
      const out = await postprocessingKinds[kind].run({ ...value, model: { ...value.model, params: { ...value.model.params, quant_params: { ...value.model.params.quant_params, bits: 16 } } } }, { graph, name: 'res', iteration: 2, model: {}, train });
      expect(out.name).toBe('res_q16_force_qoff_e0_LSQFalse');
      const [path, written] = Object.entries(out.exports)[0];
      const text = written as string;
      expect(path).toBe('out/learningmodel/res_q16_force_qoff_e0_LSQFalse_r2_activations_range.txt');
      const lines = parseActivationsRange(text, path);
      expect(lines[0].name).toBe('stem');
      expect(lines[0].input).toBe(out.quantization!.quantized.input.frac);
      expect(text.split('\n')[0]).toMatch(/^stem,\d+,\d+,\d+,None,floor,floor,floor$/);
      // int16 PTQ tracks the float model closely on the calibration data.
      const q = out.quantization!.quantized;
      const x = train.x.subarray(0, 48);
      const float = forwardFloat(graph, { data: x, batch: 1 }).output;
      const raw = runIntReference(q, quantizeInput(q, x));
      const outFrac = q.formats[q.graph.layers[q.graph.layers.length - 1].name].output;
      for (let j = 0; j < float.length; j++) expect(Math.abs(raw[j] / 2 ** outFrac - float[j])).toBeLessThan(0.05);
    }
  });

  it('uses force_q in the name and the formats', async () => {
    const { value } = parseQat({ ...qualiaInt8, model: { params: { quant_params: { ...qualiaInt8.model.params.quant_params, bits: 16, force_q: 9 } } } });
    const out = await postprocessingKinds.QuantizationAwareTraining.run(value, { graph, name: 'res', iteration: 0, model: {}, train });
    expect(out.name).toBe('res_q16_force_q9_e0_LSQFalse');
    expect(Object.values(out.quantization!.quantized.formats).filter((f) => f.weights !== undefined).every((f) => f.weights === 9 && f.output === 9)).toBe(true);
    await expect(postprocessingKinds.QuantizationAwareTraining.run(value, { graph, name: 'res', iteration: 0, model: { update: { quant_params: { roundtype: 'round' } } }, train, where: 'postprocessing[1]' })).rejects.toThrow(/postprocessing\[1\]\.params\.model\.params\.quant_params\.roundtype/);
  });
});
