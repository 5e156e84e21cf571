// Definitions of the golden codegen samples (tests/samples/codegen/<case>/graph.json). Run
// `npx tsx tests/codegen/golden-cases.ts` to (re)write the graph.json inputs; the golden test then
// regenerates the C and compares it with _expected/ (UPDATE_GOLDEN=1 rewrites _expected/).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelGraph } from '../../src/core/models/graph';
import { buildGraph } from './zoo';

export interface GoldenCase {
  graph: ModelGraph;
  codegen: { format: 'float32' | 'int8' | 'int16'; dialect: 'c99' | 'cortex-m'; longWidth?: 16 | 32 | 64; roundtype?: 'nearest' | 'floor' | 'ceil'; calibrationSeed?: number };
}

const input = (shape: number[]) => ({ kind: 'Input' as const, name: 'input', shape });

const cases: Record<string, () => GoldenCase> = {
  conv1d_int8: () => ({ graph: buildGraph('conv1d', [input([7, 3]), { kind: 'Conv', name: 'conv', dims: 1, filters: 2, kernel: [3], stride: [2], padding: [1], groups: 1, useBias: true, activation: 'relu' }], 11), codegen: { format: 'int8', dialect: 'c99', roundtype: 'floor' } }),
  conv2d_int16_cortex_m: () => ({ graph: buildGraph('conv2d', [input([5, 4, 4]), { kind: 'Conv', name: 'conv', dims: 2, filters: 3, kernel: [3, 2], stride: [1, 2], padding: [1, 0], groups: 1, useBias: true, activation: 'relu6' }], 12), codegen: { format: 'int16', dialect: 'cortex-m', roundtype: 'nearest' } }),
  depthwise_int8_cortex_m: () => ({ graph: buildGraph('depthwise', [input([4, 4, 3]), { kind: 'Conv', name: 'dw', dims: 2, filters: 3, kernel: [3, 3], stride: [1, 1], padding: [1, 1], groups: 3, useBias: false, activation: 'linear' }], 13), codegen: { format: 'int8', dialect: 'cortex-m', roundtype: 'ceil' } }),
  dense_int8_cortex_m: () => ({ graph: buildGraph('dense', [input([10]), { kind: 'Dense', name: 'fc', units: 3, useBias: true, activation: 'linear' }], 14), codegen: { format: 'int8', dialect: 'cortex-m', roundtype: 'nearest' } }),
  dense_int8_long16: () => ({ graph: buildGraph('dense', [input([10]), { kind: 'Dense', name: 'fc', units: 3, useBias: true, activation: 'relu' }], 14), codegen: { format: 'int8', dialect: 'c99', roundtype: 'floor', longWidth: 16 } }),
  batchnorm_int16: () => ({ graph: buildGraph('batchnorm', [input([3, 2]), { kind: 'BatchNorm', name: 'bn', epsilon: 1e-5, momentum: 0.1 }], 15), codegen: { format: 'int16', dialect: 'c99', roundtype: 'nearest' } }),
  maxpool2d_int8: () => ({ graph: buildGraph('maxpool', [input([5, 5, 2]), { kind: 'MaxPool', name: 'pool', dims: 2, pool: [2, 2], stride: [2, 2] }], 16), codegen: { format: 'int8', dialect: 'c99' } }),
  avgpool1d_int8: () => ({ graph: buildGraph('avgpool', [input([7, 2]), { kind: 'AvgPool', name: 'pool', dims: 1, pool: [3], stride: [2] }], 17), codegen: { format: 'int8', dialect: 'c99' } }),
  globalpool_sum_int16: () => ({ graph: buildGraph('gsp', [input([3, 3, 2]), { kind: 'GlobalPool', name: 'gsp', mode: 'sum' }], 18), codegen: { format: 'int16', dialect: 'c99', roundtype: 'floor' } }),
  add_relu_int8: () => ({ graph: buildGraph('add', [input([4, 2]), { kind: 'Conv', name: 'proj', dims: 1, filters: 2, kernel: [1], stride: [1], padding: [0], groups: 1, useBias: true, activation: 'linear' }, { kind: 'Add', name: 'add', inputs: ['input', 'proj'], activation: 'relu' }], 19), codegen: { format: 'int8', dialect: 'c99', roundtype: 'nearest' } }),
  relu6_flatten_int8: () => ({ graph: buildGraph('relu6', [input([2, 3]), { kind: 'MaxPool', name: 'pool', dims: 1, pool: [1], stride: [1] }, { kind: 'ReLU6', name: 'act' }, { kind: 'Flatten', name: 'flatten' }, { kind: 'Dense', name: 'fc', units: 2, useBias: true, activation: 'linear' }], 20), codegen: { format: 'int8', dialect: 'c99' } }),
  relu_after_pool_int16: () => ({ graph: buildGraph('relu', [input([6, 2]), { kind: 'MaxPool', name: 'pool', dims: 1, pool: [2], stride: [2] }, { kind: 'ReLU', name: 'act' }], 23), codegen: { format: 'int16', dialect: 'cortex-m' } }),
  conv1d_float32: () => ({ graph: buildGraph('conv1d', [input([6, 2]), { kind: 'Conv', name: 'conv', dims: 1, filters: 2, kernel: [3], stride: [1], padding: [1], groups: 1, useBias: true, activation: 'relu' }, { kind: 'GlobalPool', name: 'gap', mode: 'avg' }], 21), codegen: { format: 'float32', dialect: 'c99' } }),
  concatenate_int8: () => ({ graph: buildGraph('concatenate', [input([3, 2]), { kind: 'Conv', name: 'proj', dims: 1, filters: 3, kernel: [1], stride: [1], padding: [0], groups: 1, useBias: true, activation: 'linear' }, { kind: 'Concatenate', name: 'cat', inputs: ['proj', 'input'] }], 24), codegen: { format: 'int8', dialect: 'c99', roundtype: 'nearest' } }),
  softmax_float32_cortex_m: () => ({ graph: buildGraph('softmax', [input([4]), { kind: 'Dense', name: 'fc', units: 3, useBias: true, activation: 'linear' }, { kind: 'Softmax', name: 'softmax' }], 22), codegen: { format: 'float32', dialect: 'cortex-m' } }),
};

export const goldenRoot = fileURLToPath(new URL('../samples/codegen/', import.meta.url));

/** graph.json: the graph with weights as plain number lists (float32 values round-trip exactly). */
export function serializeCase(c: GoldenCase): string {
  const weights = Object.fromEntries(Object.entries(c.graph.weights).map(([k, t]) => [k, { shape: t.shape, data: Array.from(t.data) }]));
  return JSON.stringify({ graph: { formatVersion: c.graph.formatVersion, name: c.graph.name, layers: c.graph.layers, weights }, codegen: c.codegen }, null, 1) + '\n';
}

if (process.argv[1]?.endsWith('golden-cases.ts')) {
  for (const [name, make] of Object.entries(cases)) {
    const dir = join(goldenRoot, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'graph.json'), serializeCase(make()));
  }
  console.log(`wrote ${Object.keys(cases).length} cases under ${goldenRoot}`);
}
