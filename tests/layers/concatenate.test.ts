// Concatenate, the layer kind added through the layer table alone: its shape rule and errors, the float
// reference on known values, tfjs (training's and QAT's interpreter) against the float reference, and its
// quantization rule (every input rescaled into the calibrated output format) in the integer reference.
// Bit-exactness of its C with the integer reference, in both dialects, is the zoo parity test's
// (tests/codegen/zoo.ts: concat2d, concat1d).

import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { requantize } from '../../src/core/layers/shared/fixed-point';
import { forwardFloat } from '../../src/core/models/reference-float';
import { inferShapes, sizeOf } from '../../src/core/models/shapes';
import { calibrateTf, quantizationAwareTraining } from '../../src/core/quantization/qat';
import { lowerForDeployment } from '../../src/core/quantization/lower';
import { resolveQuantizers } from '../../src/core/quantization/quant-params';
import { quantizeInput, runIntReference } from '../../src/core/quantization/reference-int';
import { TfGraphModel } from '../../src/core/training/tf-model';
import { buildGraph, quantParams, quantizeZooModel, randomData, zoo } from '../codegen/zoo';
import { maxRelativeError, randomInput, useBackend } from '../training/helpers';

const input = (shape: number[]) => ({ kind: 'Input' as const, name: 'input', shape });
const concat = (name: string, inputs: string[]) => ({ kind: 'Concatenate' as const, name, inputs });

describe('Concatenate shape rule', () => {
  it('sums the channels and keeps every other dim', () => {
    const graph = zoo.concat2d();
    expect(graph.shapes.cat).toEqual([6, 5, 4 + 3 + 2]);
    expect(zoo.concat1d().shapes.cat).toEqual([9, 5]);
    expect(zoo.concat1d().shapes.joined).toEqual([7]);
  });

  it('refuses inputs that differ in any dim but the channels, naming both', () => {
    const graph = buildGraph('bad', [input([6, 3]), { kind: 'MaxPool', name: 'pool', dims: 1, pool: [2], stride: [2] }], 1);
    graph.layers.push(concat('cat', ['input', 'pool']));
    graph.shapes = {};
    expect(() => inferShapes(graph)).toThrow("layer 'cat' (Concatenate): inputs must agree on every dim but the channels (the last): 'input' gives [6, 3] but 'pool' gives [3, 3]");
    const flat = buildGraph('flat', [input([2, 3]), { kind: 'Flatten', name: 'flatten' }], 1);
    flat.layers.push(concat('cat', ['input', 'flatten']));
    flat.shapes = {};
    expect(() => inferShapes(flat)).toThrow(/'input' gives \[2, 3\] but 'flatten' gives \[6\]/);
  });

  it('needs at least two inputs', () => {
    const graph = buildGraph('one', [input([4])], 1);
    graph.layers.push(concat('cat', ['input']));
    graph.shapes = {};
    expect(() => inferShapes(graph)).toThrow("layer 'cat' (Concatenate): needs at least two inputs, got 1");
  });
});

describe('Concatenate float reference', () => {
  it('puts each input\'s channels after the previous input\'s, position by position', () => {
    const graph = buildGraph('pair', [input([2, 2]), { kind: 'ReLU', name: 'relu' }, concat('cat', ['input', 'relu', 'input'])], 1);
    const { output, shape } = forwardFloat(graph, { data: Float32Array.from([1, -2, -3, 4]), batch: 1 });
    expect(shape).toEqual([1, 2, 6]);
    expect(Array.from(output)).toEqual([1, -2, 1, 0, 1, -2, -3, 4, 0, 4, -3, 4]);
  });
});

describe.each(['cpu', 'wasm'] as const)('Concatenate in tfjs on %s', (backend) => {
  it.each(['concat2d', 'concat1d'])('%s equals the float reference, and gradients flow through it', async (name) => {
    await useBackend(backend);
    const graph = zoo[name]();
    const batch = 3;
    const x = randomInput(batch * sizeOf(graph.shapes.input), 5);
    const expected = forwardFloat(graph, { data: x, batch });
    const model = await TfGraphModel.create(graph);
    const out = tf.tidy(() => model.forward(model.inputTensor(x, batch), { training: false }));
    expect(out.shape).toEqual(expected.shape);
    expect(maxRelativeError(out.dataSync(), expected.output)).toBeLessThan(1e-5);
    out.dispose();
    // Every branch that feeds the concatenation gets a gradient.
    const branch = name === 'concat2d' ? 'b/kernel' : 'left/kernel';
    const gradient = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(model.forward(model.inputTensor(x, batch), { training: true })) as tf.Scalar, [model.variables[branch]]);
      return tf.max(tf.abs(grads[model.variables[branch].name])).dataSync()[0];
    });
    expect(gradient).toBeGreaterThan(0);
    model.dispose();
  });
});

describe('Concatenate in fixed point', () => {
  it('rescales each input from its own format into the calibrated output format', () => {
    // The graph input (range ~8) and a 1×1 conv of it with small weights have different formats.
    const graph = buildGraph('mixed', [
      input([4, 3]),
      { kind: 'Conv', name: 'proj', dims: 1, filters: 2, kernel: [1], stride: [1], padding: [0], groups: 1, useBias: true, activation: 'linear' },
      concat('cat', ['proj', 'input']),
    ], 31);
    const calibration = randomData([4, 3], 32, 2).map((v) => v * 4);
    const q = quantizeZooModel(graph, 8, 'nearest', calibration, 32);
    const out = q.formats.cat.output;
    expect(q.input.frac).not.toBe(q.formats.proj.output);
    expect(out).toBeLessThanOrEqual(Math.min(q.input.frac, q.formats.proj.output));
    const x = quantizeInput(q, randomData([4, 3], 1, 9).map((v) => v * 4));
    const result = runIntReference(q, x);
    const proj = runIntReference({ ...q, graph: { ...q.graph, layers: q.graph.layers.slice(0, 2) } }, x);
    for (let p = 0; p < 4; p++) {
      for (let c = 0; c < 2; c++) expect(result[p * 5 + c]).toBe(requantize(proj[p * 2 + c], q.formats.proj.output - out, 'nearest', 8));
      for (let c = 0; c < 3; c++) expect(result[p * 5 + 2 + c]).toBe(requantize(x[p * 3 + c], q.input.frac - out, 'nearest', 8));
    }
  });

  it('is calibrated and fine-tuned by QAT through the shared tfjs interpreter', async () => {
    const graph = lowerForDeployment(zoo.concat1d());
    const count = 48;
    const data = { x: randomData(graph.shapes.input, count, 4), labels: Int32Array.from({ length: count }, (_, i) => i % 6), count };
    const quant = resolveQuantizers(quantParams(8, 'floor'), 'quant_params');
    const ranges = await calibrateTf(graph, quant, data, { batchSize: 16 });
    expect(ranges.outputs.cat).toBeGreaterThan(0);
    expect(ranges.outputs.cat).toBeCloseTo(Math.max(ranges.outputs.left, ranges.input), 5);
    const trained = await quantizationAwareTraining(graph, quant, ranges, data, { epochs: 1, batchSize: 16, seed: 1 });
    expect(Number.isFinite(trained.losses[0])).toBe(true);
    expect(trained.ranges.outputs.cat).toBeGreaterThanOrEqual(ranges.outputs.cat);
  });
});
