import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/core/base/schema';
import { GraphBuilder } from '../../src/core/models/builder';
import { MODEL_GRAPH_FORMAT_VERSION, type ModelGraph } from '../../src/core/models/graph';
import { forwardFloat } from '../../src/core/models/reference-float';
import { modelKinds } from '../../src/core/models/registry';
import { decodeGraphFile, deserializeGraph, encodeGraphFile, ModelFormatError, serializeGraph } from '../../src/core/models/serialize';
import { countParameters, inferShapes, ModelGraphError } from '../../src/core/models/shapes';
import { createRng } from '../../src/core/base/rng';

function parse(kind: keyof typeof modelKinds, params: Record<string, unknown>): any {
  const issues: Issue[] = [];
  const value = modelKinds[kind].params.parse(params, 'model[0].params', issues);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return value;
}

describe('model kinds: parameter counts (PyTorch numel of parameters)', () => {
  it("UCI-HAR ResNetv1-8 has Qualia's 1150 parameters", () => {
    // qualia-core's tests: filters [8, 8], kernel_sizes [3, 3], paddings [1, 1], strides [1, 2], num_blocks [2],
    // batch_norm false (default), input 128×9, 6 classes.
    const graph = modelKinds.ResNet.build(parse('ResNet', { filters: [8, 8], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 2], num_blocks: [2] }), [128, 9], 6, 'uci-har_resnetv1_8');
    expect(countParameters(graph)).toBe(1150);
    expect(graph.shapes.postpool).toEqual([1, 8]);
  });

  it('CNN counts follow PyTorch (bias off with batch_norm, BN γ/β counted, running stats not)', () => {
    const graph = modelKinds.CNN.build(parse('CNN', { filters: [16, 32], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], dropouts: 0, pool_sizes: [2, 2], fc_units: [64], batch_norm: true, dims: 2 }), [28, 28, 1], 10, 'fm');
    const expected = 3 * 3 * 1 * 16 + 2 * 16 + 3 * 3 * 16 * 32 + 2 * 32 + (7 * 7 * 32) * 64 + 64 + 64 * 10 + 10;
    expect(countParameters(graph)).toBe(expected);
    expect(countParameters(graph, { includeBuffers: true })).toBe(expected + 2 * (16 + 32));
  });

  it('CNN flattened size uses the ceil of the stride division, like Qualia', () => {
    const graph = modelKinds.CNN.build(parse('CNN', { filters: [4], kernel_sizes: [3], paddings: [0], strides: [2], dropouts: 0, pool_sizes: [0], fc_units: [] }), [10, 1], 2, 'c');
    expect(graph.shapes.conv1).toEqual([4, 4]); // ceil((10 − 2) / 2) = 4 = floor((10 − 3) / 2) + 1
    expect(graph.shapes.flatten).toEqual([16]);
  });

  it('separable CNN layers are depthwise + pointwise', () => {
    const graph = modelKinds.CNN.build(parse('CNN', { filters: [6], kernel_sizes: [3], paddings: [1], strides: [1], dropouts: 0, pool_sizes: [0], fc_units: [], separables: [true] }), [20, 3], 2, 's');
    const dw = graph.layers.find((l) => l.name === 'conv1_dw');
    expect(dw).toMatchObject({ kind: 'Conv', groups: 3, filters: 3 });
    expect(graph.weights['conv1_pw/kernel'].shape).toEqual([1, 3, 6]);
  });

  it('MLP and ResNetStride build with their Qualia layer names', () => {
    const mlp = modelKinds.MLP.build(parse('MLP', { units: [32, 16] }), [10, 3], 4, 'm');
    expect(mlp.layers.map((l) => l.name)).toEqual(['input', 'flatten1', 'fc1', 'relu1', 'fc2', 'relu2', 'fc3']);
    expect(countParameters(mlp)).toBe(30 * 32 + 32 + 32 * 16 + 16 + 16 * 4 + 4);
    const rs = modelKinds.ResNetStride.build(parse('ResNetStride', { filters: [8, 16], kernel_sizes: [3, 3], pool_sizes: [1, 1], paddings: [1, 1], strides: [1, 2], num_blocks: [1] }), [64, 3], 5, 'rs');
    expect(rs.shapes.layers_0_0_conv1).toEqual([32, 16]);
    expect(rs.weights['layers_0_0_sconv/kernel'].shape).toEqual([1, 8, 16]);
  });

  it("explains Qualia's single-hidden-layer MLP limitation", () => {
    expect(() => modelKinds.MLP.build(parse('MLP', { units: [20] }), [10, 3], 4, 'm')).toThrow(/single entry in units.*units = \[30\]/);
  });

  it('rejects unknown params with a hint', () => {
    const issues: Issue[] = [];
    modelKinds.CNN.params.parse({ filters: [1], kernel_sizes: [1], paddings: [0], strides: [1], dropouts: 0, pool_sizes: [0], fc_units: [], batchnorm: true }, 'model[0].params', issues);
    expect(issues.map((i) => i.message).join()).toMatch(/unknown key 'batchnorm' \(did you mean 'batch_norm'\?\)/);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const p = parse('MLP', { units: [8, 8] });
    const a = modelKinds.MLP.build(p, [4], 2, 'm', { rng: createRng(5) });
    const b = modelKinds.MLP.build(p, [4], 2, 'm', { rng: createRng(5) });
    const c = modelKinds.MLP.build(p, [4], 2, 'm', { rng: createRng(6) });
    expect(a.weights['fc1/kernel'].data).toEqual(b.weights['fc1/kernel'].data);
    expect(a.weights['fc1/kernel'].data).not.toEqual(c.weights['fc1/kernel'].data);
    // PyTorch default bound 1/√fan_in.
    expect(Math.max(...Array.from(a.weights['fc1/kernel'].data, Math.abs))).toBeLessThanOrEqual(0.5);
  });
});

describe('shape inference', () => {
  it('names the layer and the problem', () => {
    const g = new GraphBuilder('bad', [5, 2]);
    expect(() => g.conv('conv_big', { dims: 1, filters: 2, kernel: 7 })).toThrow(/layer 'conv_big' \(Conv\): kernel \[7\] with padding \[0\] does not fit the input \[5, 2\]/);
    expect(() => g.dense('fc', 3)).toThrow(/layer 'fc' \(Dense\): needs a flat input \[features\], got \[5, 2\]; put a Flatten layer before it/);
    expect(() => g.conv('grp', { dims: 1, filters: 3, kernel: 1, groups: 2 })).toThrow(/input channels \(2\) must be divisible by groups \(2\)|filters \(3\) must be divisible by groups \(2\)/);
  });

  it('checks Add shapes and weight layouts', () => {
    const g = new GraphBuilder('add', [6, 2]);
    g.conv('a', { dims: 1, filters: 3, kernel: 3 });
    g.conv('b', { dims: 1, filters: 3, kernel: 1, input: 'input' });
    expect(() => g.add('sum', ['a', 'b'])).toThrow(/layer 'sum' \(Add\): input shapes differ: 'a' gives \[4, 3\] but 'b' gives \[6, 3\]/);
    const graph = new GraphBuilder('w', [4]);
    graph.dense('fc', 2);
    const built = graph.finish();
    built.weights['fc/kernel'] = { shape: [2, 4], data: new Float32Array(8) };
    expect(() => inferShapes(built)).toThrow(/layer 'fc' \(Dense\): weight 'fc\/kernel' has shape \[2, 4\], expected \[4, 2\]/);
  });
});

describe('serialization', () => {
  const graph = modelKinds.ResNet.build(parse('ResNet', { filters: [4, 6], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 2], num_blocks: [1], batch_norm: true }), [16, 3], 3, 'round_trip', { rng: createRng(9) });

  it('round-trips a graph through metadata + one Float32Array and through a file', () => {
    const { meta, data } = serializeGraph(graph);
    expect(data.length).toBe(countParameters(graph, { includeBuffers: true }));
    const back = deserializeGraph({ meta: JSON.parse(JSON.stringify(meta)), data });
    expect(back).toEqual(graph);
    expect(decodeGraphFile(encodeGraphFile(graph))).toEqual(graph);
  });

  it('rejects an unknown format version and a foreign file with clear messages', () => {
    const { meta, data } = serializeGraph(graph);
    expect(() => deserializeGraph({ meta: { ...meta, formatVersion: MODEL_GRAPH_FORMAT_VERSION + 1 }, data }, 'out/learningmodel/x_r0.mote'))
      .toThrow(/out\/learningmodel\/x_r0.mote uses model format version 2, but this Mote reads version 1; update Mote/);
    expect(() => decodeGraphFile(new TextEncoder().encode('PK\u0003\u0004 not a model'), 'model.pth')).toThrow(ModelFormatError);
    const bytes = encodeGraphFile(graph);
    expect(() => decodeGraphFile(bytes.subarray(0, bytes.length - 40))).toThrow(/truncated/);
  });
});

describe('float reference', () => {
  it('computes a hand-checked 1-D conv with padding and stride, BatchNorm and global sum pool', () => {
    const g = new GraphBuilder('hand', [4, 1]);
    g.conv('c', { dims: 1, filters: 1, kernel: 3, stride: 2, padding: 1 });
    g.batchNorm('bn');
    g.globalPool('gsp', 'sum');
    const graph: ModelGraph = g.finish();
    graph.weights['c/kernel'].data.set([1, 2, 3]);
    graph.weights['c/bias'].data.set([0.5]);
    graph.weights['bn/mean'].data.set([1]);
    graph.weights['bn/variance'].data.set([4 - 1e-5]);
    graph.weights['bn/gamma'].data.set([2]);
    graph.weights['bn/beta'].data.set([1]);
    // x = [1, 2, 3, 4], padded [0, 1, 2, 3, 4, 0]; windows at 0 and 2: [0,1,2]·[1,2,3] = 8, [2,3,4]·[1,2,3] = 20
    // conv + bias: 8.5, 20.5; BN: (v − 1)/2·2 + 1 = 8.5, 20.5; sum = 29
    const out = forwardFloat(graph, { data: Float32Array.from([1, 2, 3, 4, 0, 0, 0, 0]), batch: 2 });
    expect(out.shape).toEqual([2, 1]);
    expect(out.output[0]).toBeCloseTo(29, 4);
    // Second sample all zeros: conv = 0.5 each, BN (0.5 − 1)/2·2 + 1 = 0.5, sum 1
    expect(out.output[1]).toBeCloseTo(1, 4);
  });

  it('refuses a batch of the wrong size', () => {
    const g = new GraphBuilder('m', [3]);
    g.dense('fc', 2);
    expect(() => forwardFloat(g.finish(), { data: new Float32Array(5), batch: 2 })).toThrow(ModelGraphError);
  });
});
