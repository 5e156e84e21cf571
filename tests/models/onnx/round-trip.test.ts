import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../../src/core/models/onnx/export';
import { importOnnx } from '../../../src/core/models/onnx/import';
import { maxRelativeDifference, runOnnxRuntime } from '../../../src/core/models/onnx/runtime';
import { nodeOnnxRuntime } from '../../../src/core/models/onnx/runtime.node';
import { decodeOnnxModel } from '../../../src/core/models/onnx/schema';
import { forwardFloat } from '../../../src/core/models/reference-float';
import { layerTable } from '../../../src/core/layers/table';
import { randomData } from '../../codegen/zoo';
import { modelKinds } from '../../../src/core/models/registry';
import { modelKindCases, modelKindOf, roundTripCases } from './model-cases';

const SAMPLES = 4;

describe('ONNX round trip: Mote → ONNX → onnxruntime-web, and ONNX → Mote → ONNX', () => {
  it('covers every layer kind with an ONNX facet', () => {
    const kinds = new Set(Object.values(roundTripCases).flatMap((make) => make().layers.map((l) => l.kind)));
    const withFacet = Object.values(layerTable).filter((d) => 'onnx' in d).map((d) => d.kind);
    expect(withFacet.filter((k) => !kinds.has(k))).toEqual([]);
    expect(Object.values(layerTable).filter((d) => !('onnx' in d)).map((d) => d.kind)).toEqual(['Input']);
  });

  it('covers every [[model]] kind that builds a model (ONNX reads one)', () => {
    const built = new Set(Object.keys(modelKindCases).map((k) => modelKindOf[k]));
    expect(Object.keys(modelKinds).filter((k) => k !== 'ONNX' && !built.has(k))).toEqual([]);
  });

  for (const [name, make] of Object.entries(roundTripCases)) {
    it(`${name}: onnxruntime agrees within 1e-5; the import computes the same floats; re-export gives the same bytes`, async () => {
      const graph = make();
      const bytes = exportOnnx(graph);
      const model = decodeOnnxModel(bytes);
      expect(model.opsets).toEqual([{ domain: '', version: 13 }]);
      const x = randomData(graph.shapes.input, SAMPLES, 11);
      const mote = forwardFloat(graph, { data: x, batch: SAMPLES }).output;
      const outShape = graph.shapes[graph.layers[graph.layers.length - 1].name];
      const ort = await runOnnxRuntime(nodeOnnxRuntime, bytes, graph.shapes.input, outShape, x, SAMPLES);
      expect(ort.output.length).toBe(mote.length);
      expect(maxRelativeDifference(ort.output, mote, SAMPLES)).toBeLessThan(1e-5);

      const imported = importOnnx(bytes);
      expect(imported.name).toBe(graph.name);
      expect(forwardFloat(imported, { data: x, batch: SAMPLES }).output).toEqual(mote);
      const again = exportOnnx(imported);
      expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true);
      expect(Buffer.from(exportOnnx(importOnnx(again))).equals(Buffer.from(bytes))).toBe(true);
    });
  }
});
