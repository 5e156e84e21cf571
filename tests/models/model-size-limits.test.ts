// A model too large for memory is refused where its shapes are first known, with the layer's name and size,
// before any weight is allocated (issue 11: "resource errors name the layer").
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/core/base/schema';
import { MAX_LAYER_VALUES } from '../../src/core/base/limits';
import { modelKinds } from '../../src/core/models/registry';
import { ModelTooLargeError, inferShapes } from '../../src/core/models/shapes';
import { MODEL_GRAPH_FORMAT_VERSION, type ModelGraph } from '../../src/core/models/graph';

function parse(kind: keyof typeof modelKinds, params: Record<string, unknown>): { value: any; issues: Issue[] } {
  const issues: Issue[] = [];
  const value = modelKinds[kind].params.parse(params, 'model[0].params', issues);
  return { value, issues };
}

describe('model size limits', () => {
  it('each size key is capped at validation, naming the key', () => {
    const { issues } = parse('CNN', { filters: [1_000_000_000], kernel_sizes: [[3, 100_000]], paddings: [0], strides: [1], dropouts: 0, pool_sizes: [0], fc_units: [70_000], dims: 2 });
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'model[0].params.filters[0]: must be at most 65536, got 1000000000',
      'model[0].params.kernel_sizes[0][1]: must be at most 4096, got 100000',
      'model[0].params.fc_units[0]: must be at most 65536, got 70000',
    ]);
  });

  it('a dense layer within the key caps but too large overall names the layer and its size', () => {
    const { value, issues } = parse('MLP', { units: [60_000, 60_000] });
    expect(issues).toEqual([]);
    let caught: unknown;
    try { modelKinds.MLP.build(value, [8, 8, 1], 10, 'too_big'); } catch (error) { caught = error; }
    expect(caught).toBeInstanceOf(ModelTooLargeError);
    expect((caught as Error).message).toMatch(/^layer 'fc2' \(Dense\): its kernel of shape \[60000, 60000\] would hold 3,600,000,000 values \(13\.4 GiB as float32\); Mote allows 67,108,864 per layer\. Make the model smaller/);
  });

  it('a huge activation is refused too (an imported graph with a giant input)', () => {
    const graph: ModelGraph = { formatVersion: MODEL_GRAPH_FORMAT_VERSION, name: 'wide', layers: [{ kind: 'Input' as const, name: 'input', inputs: [], shape: [MAX_LAYER_VALUES, 2] }], shapes: {}, weights: {} };
    expect(() => inferShapes(graph)).toThrow(/layer 'input' \(Input\): its output of shape \[67108864, 2\] would hold 134,217,728 values \(512 MiB/);
  });
});
