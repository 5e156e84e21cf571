import { describe, expect, it } from 'vitest';
import { exportOnnx } from '../../../src/core/models/onnx/export';
import { importOnnx } from '../../../src/core/models/onnx/import';
import { maxRelativeDifference, runOnnxRuntime } from '../../../src/core/models/onnx/runtime';
import { nodeOnnxRuntime } from '../../../src/core/models/onnx/runtime.node';
import { encodeOnnxModel } from '../../../src/core/models/onnx/schema';
import { forwardFloat } from '../../../src/core/models/reference-float';
import { randomData } from '../../codegen/zoo';
import { torchCnn2d, torchDigitsCnn, torchResnet1d } from './torch-style';

const cases = { torch_cnn2d: torchCnn2d, torch_resnet1d: torchResnet1d, torch_digits_cnn: torchDigitsCnn };

async function ortPerSample(bytes: Uint8Array, inShape: number[], outShape: number[], x: Float32Array, count: number): Promise<Float32Array> {
  // torch_cnn2d has a fixed batch of 1: one run per sample.
  const size = x.length / count;
  const outs: Float32Array[] = [];
  for (let i = 0; i < count; i++) outs.push((await runOnnxRuntime(nodeOnnxRuntime, bytes, inShape, outShape, x.subarray(i * size, (i + 1) * size), 1)).output);
  const out = new Float32Array(outs.reduce((n, o) => n + o.length, 0));
  outs.forEach((o, i) => out.set(o, i * o.length));
  return out;
}

describe('importing ONNX written like torch.onnx.export', () => {
  for (const [name, make] of Object.entries(cases)) {
    it(`${name}: Mote's float reference of the import agrees with onnxruntime-web within 1e-5, and the re-export is stable`, async () => {
      const original = encodeOnnxModel(make());
      const graph = importOnnx(original, { name });
      const outShape = graph.shapes[graph.layers[graph.layers.length - 1].name];
      const count = 4;
      const x = randomData(graph.shapes.input, count, 5);
      const mote = forwardFloat(graph, { data: x, batch: count }).output;
      const reference = await ortPerSample(original, graph.shapes.input, outShape, x, count);
      expect(maxRelativeDifference(mote, reference, count)).toBeLessThan(1e-5);

      const exported = exportOnnx(graph);
      const viaMote = await ortPerSample(exported, graph.shapes.input, outShape, x, count);
      expect(maxRelativeDifference(viaMote, reference, count)).toBeLessThan(1e-5);
      const reimported = importOnnx(exported);
      expect(forwardFloat(reimported, { data: x, batch: count }).output).toEqual(mote);
      expect(Buffer.from(exportOnnx(reimported)).equals(Buffer.from(exported))).toBe(true);
    });
  }

  it('maps channels-first layouts to channels_last: input shape, Conv kernels, and the Flatten → Gemm order', () => {
    const graph = importOnnx(encodeOnnxModel(torchCnn2d()), { name: 'cnn' });
    expect(graph.shapes.input).toEqual([8, 8, 2]);
    expect(graph.layers.map((l) => l.kind)).toEqual(['Input', 'Conv', 'BatchNorm', 'ReLU', 'MaxPool', 'Conv', 'ReLU6', 'Dropout', 'Flatten', 'Dense', 'ReLU', 'Dense']);
    expect(graph.layers.find((l) => l.kind === 'Dropout')).toMatchObject({ rate: 0.25 });
    expect(graph.weights['conv1_Conv_output_0/kernel'].shape).toEqual([3, 3, 2, 4]);
    expect(graph.weights['fc1_Gemm_output_0/kernel'].shape).toEqual([24, 5]);
    const resnet = importOnnx(encodeOnnxModel(torchResnet1d()));
    expect(resnet.name).toBe('torch_jit');
    expect(resnet.shapes.input).toEqual([16, 3]);
    expect(resnet.layers.at(-1)!.name).toBe('logits');
  });
});
