// The Mote Runtime's prebuilt wasm32 image (runtime/prebuilt/mote-runtime.wasm), driven by the executor of
// src/core/runtime/wasm-runtime.ts: bit-exact with the integer reference on every zoo model (int8/int16,
// portable and packed layouts, narrow and wide accumulators, ONNX imports), hostile blobs refused with the
// runtime's status in plain words, and the committed image identical to a rebuild of its sources.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CodegenModel } from '../../src/core/codegen/types';
import { compareOutputs, decodeOutputs, encodeInputs, referenceOutputs } from '../../src/core/deploy/targets/linux-compare';
import type { LongWidth } from '../../src/core/layers/shared/fixed-point';
import { sizeOf } from '../../src/core/models/shapes';
import { importOnnx } from '../../src/core/models/onnx/import';
import { encodeOnnxModel } from '../../src/core/models/onnx/schema';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { BlobStatus } from '../../src/core/runtime/blob-format';
import { instantiateWasmRuntime, RuntimeBlobError, RuntimeImageError, type WasmRuntime } from '../../src/core/runtime/wasm-runtime';
import { quantizeZooModel, randomData, wideDenseModel, zoo } from '../codegen/zoo';
import { evaluateOnWasmRuntime } from '../../src/core/deploy/wasm-runtime-board';
import { requireTools } from '../firmware/helpers';
import { torchCnn2d, torchResnet1d } from '../models/onnx/torch-style';

const ROOT = resolve(__dirname, '../..');
const IMAGE = readFileSync(resolve(ROOT, 'runtime/prebuilt/mote-runtime.wasm'));
type Quantized = Extract<CodegenModel, { quantized: unknown }>;
const VECTORS = 16;

function check(runtime: WasmRuntime, model: Quantized, options: { dialect: 'c99' | 'cortex-m'; longWidth?: LongWidth }, seed: number) {
  const graph = model.quantized.graph;
  const inputShape = graph.shapes[graph.layers[0].name];
  const { bytes, report } = encodeModelBlob(model.quantized, { ...options, name: graph.name?.slice(0, 40) });
  const loaded = runtime.load(bytes);
  expect(loaded.arenaBytes).toBe(report.arenaBytes);
  expect(loaded.crc).toBe(report.crc >>> 0);
  const test = { x: randomData(inputShape, VECTORS, seed).map((v) => v * 2), labels: new Int32Array(VECTORS), count: VECTORS };
  const outputs = runtime.run(encodeInputs(model, test, sizeOf(inputShape)));
  expect(runtime.inferences).toBe(VECTORS);
  const target = decodeOutputs(model, outputs);
  const reference = referenceOutputs(model, test, { longWidth: options.longWidth });
  const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
  const r = compareOutputs(model.format, target, reference, test.labels, VECTORS, outputSize);
  return { bit_exact: r.bit_exact, first_mismatch: r.first_mismatch };
}

describe('the Mote Runtime wasm image', () => {
  let runtime: WasmRuntime;
  beforeAll(async () => { runtime = await instantiateWasmRuntime(IMAGE); });

  it('returns the integer reference outputs for every zoo model, both layouts and number types', () => {
    Object.entries(zoo).forEach(([name, make], index) => {
      const graph = make();
      const calibration = randomData(graph.shapes.input, 64, 100 + index);
      for (const bits of [8, 16] as const) {
        const model = { format: `int${bits}`, quantized: quantizeZooModel(graph, bits, (['nearest', 'floor', 'ceil'] as const)[(index + bits / 8) % 3], calibration, 64) } as Quantized;
        for (const dialect of ['c99', 'cortex-m'] as const) {
          expect({ id: `${name}_int${bits}_${dialect}`, ...check(runtime, model, { dialect }, 900 + index) }).toEqual({ id: `${name}_int${bits}_${dialect}`, bit_exact: true, first_mismatch: null });
        }
      }
    });
  }, 120_000);

  it('is bit-exact with narrow and wide accumulators and on imported ONNX models', () => {
    for (const [name, bits, longWidth] of [['wide_dense', 8, 16], ['conv2d', 8, 16], ['depthwise', 8, 64], ['conv1d', 16, 32]] as const) {
      const graph = name === 'wide_dense' ? wideDenseModel() : zoo[name]();
      const model = { format: `int${bits}`, quantized: quantizeZooModel(graph, bits, 'nearest', randomData(graph.shapes.input, 64, 7), 64) } as Quantized;
      expect({ name, ...check(runtime, model, { dialect: 'cortex-m', longWidth }, 5) }).toEqual({ name, bit_exact: true, first_mismatch: null });
    }
    for (const [name, make] of Object.entries({ torch_cnn2d: torchCnn2d, torch_resnet1d: torchResnet1d })) {
      const graph = importOnnx(encodeOnnxModel(make()), { name });
      const model = { format: 'int8', quantized: quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, 64, 8), 64) } as Quantized;
      for (const dialect of ['c99', 'cortex-m'] as const) expect({ name, dialect, ...check(runtime, model, { dialect }, 6) }).toEqual({ name, dialect, bit_exact: true, first_mismatch: null });
    }
  }, 120_000);

  it('refuses hostile blobs with the status in plain words, and runs nothing after a refusal', () => {
    const golden = new Uint8Array(readFileSync(resolve(__dirname, '../samples/runtime/conv2d_int8_c99.v1.blob')));
    expect(runtime.load(golden).inputBytes).toBeGreaterThan(0);
    const flipped = golden.slice(); flipped[golden.length - 20] ^= 0x40;
    const foreign = golden.slice(); foreign[0] = 0x7f;
    const future = golden.slice(); future[4] = 99;
    const cases: [string, Uint8Array, number, RegExp][] = [
      ['empty', new Uint8Array(0), BlobStatus.truncated, /truncated/],
      ['truncated', golden.slice(0, golden.length - 9), BlobStatus.truncated, /truncated/],
      ['flipped', flipped, BlobStatus.badCrc, /CRC-32 does not match/],
      ['foreign', foreign, BlobStatus.badMagic, /not a Mote model blob/],
      ['future', future, BlobStatus.unknownVersion, /format version/],
    ];
    for (const [id, blob, status, words] of cases) {
      let error: unknown;
      try { runtime.load(blob); } catch (e) { error = e; }
      expect(error, id).toBeInstanceOf(RuntimeBlobError);
      expect((error as RuntimeBlobError).status, id).toBe(status);
      expect((error as Error).message, id).toMatch(words);
      expect((error as Error).message, id).toMatch(/at byte \d+/);
      expect(() => runtime.run(new Uint8Array(16)), id).toThrow(/no model is loaded/);
    }
  });

  it('evaluates a model as a results row: bit-exact, accuracy from the labels, blob size as ROM, arena as RAM', async () => {
    const graph = zoo.conv2d();
    const model = { format: 'int8', quantized: quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, 64, 3), 64) } as Quantized;
    const x = randomData(graph.shapes.input, VECTORS, 4);
    const reference = referenceOutputs(model, { x, labels: new Int32Array(VECTORS), count: VECTORS });
    const outputSize = reference.length / VECTORS;
    // Labels: the reference's class for even vectors, another class for odd ones, so accuracy is exactly 1/2.
    const labels = Int32Array.from({ length: VECTORS }, (_, i) => {
      let best = 0;
      for (let j = 1; j < outputSize; j++) if (reference[i * outputSize + j] > reference[i * outputSize + best]) best = j;
      return i % 2 === 0 ? best : (best + 1) % outputSize;
    });
    const row = await evaluateOnWasmRuntime(IMAGE, model, { x, labels, count: VECTORS }, { name: 'conv2d' });
    const { bytes, report } = encodeModelBlob(model.quantized, { name: 'conv2d' });
    expect(row).toMatchObject({ n: VECTORS, bit_exact: true, agreement: 1, accuracy: 0.5, reference_accuracy: 0.5, first_mismatch: null, rom_bytes: bytes.length, ram_bytes: report.arenaBytes, model_crc: report.crc >>> 0, inferences: VECTORS });
    expect(row.macs).toBeGreaterThan(0);
    await expect(evaluateOnWasmRuntime(IMAGE, { format: 'float32', graph } as CodegenModel, { x, labels, count: VECTORS })).rejects.toThrow(/int8 and int16 models only/);
  });

  it('refuses a wasm file that is not the runtime image', async () => {
    await expect(instantiateWasmRuntime(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))).rejects.toThrow(/does not export memory/);
    await expect(instantiateWasmRuntime(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(RuntimeImageError);
  });

  it.runIf(requireTools('clang', 'wasm-ld'))('the committed image is byte-identical to a rebuild of its sources', () => {
    const out = execFileSync('node', ['scripts/build-wasm-runtime.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toMatch(/identical to a rebuild/);
  }, 60_000);
});
