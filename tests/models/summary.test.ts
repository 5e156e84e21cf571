// The model summary the Train view shows: per layer kind, output shape, parameters and MACs, and totals that
// agree with countParameters / countMacs (the figures the C generator and results.json report).
import { expect, test } from 'vitest';
import type { Issue } from '../../src/core/base/schema';
import { modelKinds } from '../../src/core/models/registry';
import { countMacs, countParameters } from '../../src/core/models/shapes';
import { summarizeModel } from '../../src/core/models/summary';

function cnn(params: Record<string, unknown>) {
  const issues: Issue[] = [];
  const parsed = modelKinds.CNN.params.parse(params, 'model[0].params', issues);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return modelKinds.CNN.build(parsed as never, [8, 8, 1], 10, 'digits_cnn');
}

test('a CNN with batch norm: each layer, and totals equal to the whole-model counts', () => {
  const graph = cnn({ filters: [4, 8], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], dropouts: 0, pool_sizes: [2, 2], fc_units: [], batch_norm: true, dims: 2 });
  const summary = summarizeModel(graph);
  expect(summary.layers[0]).toMatchObject({ kind: 'Input', output: [8, 8, 1], parameters: 0, macs: 0 });
  const convs = summary.layers.filter((l) => l.kind === 'Conv');
  expect(convs.map((l) => l.parameters)).toEqual([3 * 3 * 1 * 4, 3 * 3 * 4 * 8]); // no bias with batch norm
  expect(convs[0]).toMatchObject({ output: [8, 8, 4], macs: 8 * 8 * 4 * 9 });
  expect(summary.layers.filter((l) => l.kind === 'BatchNorm').map((l) => l.parameters)).toEqual([2 * 4, 2 * 8]); // γ, β; running stats are buffers
  expect(summary.layers[summary.layers.length - 1].output).toEqual([10]);
  expect(summary.parameters).toBe(countParameters(graph));
  expect(summary.macs).toBe(countMacs(graph));
  expect(summary.float32Bytes).toBe(countParameters(graph, { includeBuffers: true }) * 4);
});
