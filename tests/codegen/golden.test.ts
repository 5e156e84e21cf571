// Golden samples: tests/samples/codegen/<case>/graph.json (a small graph and the generator options) →
// _expected/model.c, model.h, model_weights.h. Any change to the generated C shows up as a diff here;
// review it, then rewrite the expectations with `UPDATE_GOLDEN=1 npx vitest run tests/codegen/golden.test.ts`.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateC } from '../../src/core/codegen/emit';
import type { CodegenModel } from '../../src/core/codegen/types';
import { kindsSupporting } from '../../src/core/layers/table';
import type { ModelGraph } from '../../src/core/models/graph';
import { inferShapes } from '../../src/core/models/shapes';
import { goldenRoot, type GoldenCase } from './golden-cases';
import { quantizeZooModel, randomData } from './zoo';

const update = process.env.UPDATE_GOLDEN === '1';
const FILES = ['model.c', 'model.h', 'model_weights.h'];

function loadCase(dir: string): GoldenCase {
  const json = JSON.parse(readFileSync(join(dir, 'graph.json'), 'utf8'));
  const weights = Object.fromEntries(Object.entries(json.graph.weights as Record<string, { shape: number[]; data: number[] }>).map(([k, t]) => [k, { shape: t.shape, data: Float32Array.from(t.data) }]));
  const graph: ModelGraph = inferShapes({ ...json.graph, shapes: {}, weights });
  return { graph, codegen: json.codegen };
}

const cases = readdirSync(goldenRoot).filter((name) => existsSync(join(goldenRoot, name, 'graph.json'))).sort();

describe('golden codegen samples', () => {
  it('has one case per emitted layer kind and per dialect', () => {
    const loaded = cases.map((name) => loadCase(join(goldenRoot, name)));
    const kinds = new Set(loaded.flatMap((c) => c.graph.layers.map((l) => l.kind)));
    for (const kind of kindsSupporting('c')) expect(kinds, `no golden case uses ${kind}`).toContain(kind);
    expect(new Set(loaded.map((c) => c.codegen.dialect))).toEqual(new Set(['c99', 'cortex-m']));
  });

  for (const name of cases) {
    it(name, () => {
      const dir = join(goldenRoot, name);
      const { graph, codegen } = loadCase(dir);
      let model: CodegenModel;
      if (codegen.format === 'float32') model = { format: 'float32', graph };
      else {
        const bits = codegen.format === 'int8' ? 8 : 16;
        const count = 32;
        const q = quantizeZooModel(graph, bits, codegen.roundtype ?? 'nearest', randomData(graph.shapes.input, count, codegen.calibrationSeed ?? 1), count);
        model = { format: codegen.format, quantized: q };
      }
      const { files } = generateC(model, { dialect: codegen.dialect, longWidth: codegen.longWidth, displayName: name });
      const expectedDir = join(dir, '_expected');
      if (update) {
        mkdirSync(expectedDir, { recursive: true });
        for (const file of FILES) writeFileSync(join(expectedDir, file), files[file]);
        return;
      }
      for (const file of FILES) {
        const path = join(expectedDir, file);
        if (!existsSync(path)) throw new Error(`${path} is missing; generate it with UPDATE_GOLDEN=1 npx vitest run tests/codegen/golden.test.ts and review it`);
        expect(files[file], `${name}/${file} differs from _expected (UPDATE_GOLDEN=1 rewrites it after review)`).toBe(readFileSync(path, 'utf8'));
      }
    });
  }
});
