// Parity of the generated C with the TypeScript references on the model zoo: every int8/int16 variant,
// built with -fsanitize=undefined,address, must return exactly the integer reference's outputs on every
// vector (including inputs beyond the calibration range, to exercise saturation); float32 builds must
// match the float reference within 1e-5 (relative to the vector's largest output). Every variant also
// compiles for Cortex-M4 with arm-none-eabi-gcc in both dialects.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateC } from '../../src/core/codegen/emit';
import type { CodegenModel, Dialect } from '../../src/core/codegen/types';
import { buildLinux, compareOutputs, decodeOutputs, encodeInputs, referenceOutputs, runLinuxHarness } from '../../src/core/deploy/targets/linux-build.node';
import { linuxHarness } from '../../src/core/deploy/targets/linux';
import { sizeOf } from '../../src/core/models/shapes';
import type { LongWidth } from '../../src/core/layers/shared/fixed-point';
import { kindsSupporting } from '../../src/core/layers/table';
import type { RoundMode } from '../../src/core/layers/shared/fixed-point';
import type { QuantizerConfig } from '../../src/core/quantization/quant-params';
import { requireTools } from '../firmware/helpers';
import { ARM_FLAGS, exec, pool, writeSources } from './host-build';
import { depthwiseStride2Model, pointwiseModel, quantizeZooModel, randomData, softmaxModel, wideDenseModel, zoo } from './zoo';

const root = mkdtempSync(join(tmpdir(), 'mote-zoo-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `longWidth` undefined = the generator's default (32 for int8, 64 for int16). */
interface Variant { id: string; model: CodegenModel; dialect: Dialect; longWidth: LongWidth | undefined; packInt8Weights?: boolean }

const ROUNDS: RoundMode[] = ['nearest', 'floor', 'ceil'];
const CALIBRATION = 64;
const VECTORS = 48;

function variants(): Variant[] {
  const out: Variant[] = [];
  Object.entries({ ...zoo, depthwise_stride2: depthwiseStride2Model, pointwise: pointwiseModel }).forEach(([name, make], index) => {
    const graph = make();
    const calibration = randomData(graph.shapes.input, CALIBRATION, 100 + index);
    for (const bits of [8, 16] as const) {
      const round = ROUNDS[(index + bits / 8) % ROUNDS.length];
      const q = quantizeZooModel(graph, bits, round, calibration, CALIBRATION);
      for (const dialect of ['c99', 'cortex-m'] as const) out.push({ id: `${name}_int${bits}_${round}_${dialect}`, model: { format: `int${bits}`, quantized: q }, dialect, longWidth: undefined });
    }
    out.push({ id: `${name}_float32`, model: { format: 'float32', graph }, dialect: 'c99', longWidth: undefined });
  });
  // Narrow and wide accumulators (Qualia's long_width): int8 with 16-bit accumulators wraps around.
  for (const [name, bits, longWidth] of [['wide_dense', 8, 16], ['conv2d', 8, 16], ['residual1d', 8, 16], ['depthwise', 8, 64], ['mlp', 8, 64], ['conv1d', 16, 32], ['add3', 16, 32], ['wide_dense', 16, 32]] as const) {
    const graph = name === 'wide_dense' ? wideDenseModel() : zoo[name]();
    const q = quantizeZooModel(graph, bits, 'nearest', randomData(graph.shapes.input, CALIBRATION, 7), CALIBRATION);
    out.push({ id: `${name}_int${bits}_long${longWidth}`, model: { format: `int${bits}`, quantized: q }, dialect: 'cortex-m', longWidth });
  }
  // cortex-m int8 with the weights kept as bytes (packInt8Weights: false, the compact-flash path).
  for (const name of ['conv2d', 'residual1d', 'mlp'] as const) {
    const graph = zoo[name]();
    const q = quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, CALIBRATION, 8), CALIBRATION);
    out.push({ id: `${name}_int8_bytes`, model: { format: 'int8', quantized: q }, dialect: 'cortex-m', longWidth: undefined, packInt8Weights: false });
  }
  // Separate bias quantizer and force_q (Qualia options that change the formats).
  const bnGraph = zoo.batchnorm2d();
  const forced = quantizeZooModel(bnGraph, 16, 'floor', randomData(bnGraph.shapes.input, CALIBRATION, 9), CALIBRATION, { force_q: 9, bias: { bits: 16 } as QuantizerConfig });
  out.push({ id: 'batchnorm2d_int16_force_q9', model: { format: 'int16', quantized: forced }, dialect: 'c99', longWidth: 32 });
  out.push({ id: 'softmax_float32', model: { format: 'float32', graph: softmaxModel() }, dialect: 'cortex-m', longWidth: undefined });
  return out;
}

const all = variants();

describe('generated C matches the TypeScript references on the model zoo', () => {
  it('covers every layer kind with a C emitter', () => {
    const seen = new Set(all.flatMap((v) => (v.model.format === 'float32' ? v.model.graph : v.model.quantized.graph).layers.map((l) => l.kind)));
    for (const kind of kindsSupporting('c')) expect(seen, `zoo lacks ${kind}`).toContain(kind);
  });

  it("the 'pointwise' model's three 1×1 layers take the int8 pointwise SIMD path (so the host build tests its C)", () => {
    for (const variant of all.filter((v) => v.id.startsWith('pointwise_int8_') && v.dialect === 'cortex-m')) {
      const c = generateC(variant.model, { dialect: 'cortex-m' }).files['model.c'];
      expect((c.match(/static int32_t xe\[/g) ?? []).length, variant.id).toBe(3);
    }
  });

  it('the narrow-accumulator variants really wrap around (so the test exercises the emulation)', () => {
    const variant = all.find((v) => v.id === 'wide_dense_int8_long16')!;
    const int16 = all.find((v) => v.id === 'wide_dense_int16_long32')!;
    const int16Graph = int16.model.format === 'float32' ? int16.model.graph : int16.model.quantized.graph;
    const int16Test = { x: randomData(int16Graph.shapes.input, VECTORS, 999).map((v) => v * 2), labels: new Int32Array(VECTORS), count: VECTORS };
    // int16 products reach 2^30: 32-bit accumulators wrap where the default 64-bit ones do not.
    const wrapped = referenceOutputs(int16.model, int16Test, { longWidth: 32 });
    const exact = referenceOutputs(int16.model, int16Test);
    expect(wrapped.some((v, i) => v !== exact[i])).toBe(true);
    const graph = variant.model.format === 'float32' ? variant.model.graph : variant.model.quantized.graph;
    const x = randomData(graph.shapes.input, VECTORS, 999).map((v) => v * 2);
    const test = { x, labels: new Int32Array(VECTORS), count: VECTORS };
    const narrow = referenceOutputs(variant.model, test, { longWidth: 16 });
    const wide = referenceOutputs(variant.model, test, { longWidth: 32 });
    expect(narrow.some((v, i) => v !== wide[i])).toBe(true);
  });

  it('host builds (ASan + UBSan) reproduce the reference on every vector', async () => {
    const results = await pool(all.map((variant) => async () => {
      const graph = variant.model.format === 'float32' ? variant.model.graph : variant.model.quantized.graph;
      const inputShape = graph.shapes[graph.layers[0].name];
      const generated = generateC(variant.model, { dialect: variant.dialect, longWidth: variant.longWidth, packInt8Weights: variant.packInt8Weights });
      const dir = join(root, variant.id);
      writeSources(dir, { ...generated.files, 'harness.c': linuxHarness(inputShape) });
      const exe = await buildLinux(dir, { sanitize: true });
      // Inputs at twice the calibration spread: some saturate at the input conversion and inside layers.
      const x = randomData(inputShape, VECTORS, 999).map((v) => v * 2);
      const test = { x, labels: new Int32Array(VECTORS), count: VECTORS };
      const target = decodeOutputs(variant.model, await runLinuxHarness(exe, encodeInputs(variant.model, test, sizeOf(inputShape))));
      const reference = referenceOutputs(variant.model, test, { longWidth: variant.longWidth });
      const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
      return { id: variant.id, format: variant.model.format, ...compareOutputs(variant.model.format, target, reference, test.labels, VECTORS, outputSize) };
    }));
    for (const r of results) {
      if (r.format === 'float32') {
        expect(r.max_rel_diff!, r.id).toBeLessThan(1e-5);
        expect(r.agreement, r.id).toBe(1);
      } else {
        expect({ id: r.id, bit_exact: r.bit_exact, first_mismatch: r.first_mismatch }).toEqual({ id: r.id, bit_exact: true, first_mismatch: null });
      }
    }
  }, 240_000);

  // Without the cross compiler this reports itself skipped (never green); in CI requireTools lets it fail.
  it.runIf(requireTools('arm-none-eabi-gcc'))('every variant compiles for Cortex-M4 (arm-none-eabi-gcc, hard float)', async () => {
    const results = await pool(all.map((variant) => async () => {
      const dir = join(root, `${variant.id}_arm`);
      writeSources(dir, generateC(variant.model, { dialect: variant.dialect, longWidth: variant.longWidth, packInt8Weights: variant.packInt8Weights }).files);
      const { ok, out } = await exec('arm-none-eabi-gcc', [...ARM_FLAGS, 'model.c', '-o', 'model.o'], dir);
      return { id: variant.id, ok, out: out.slice(0, 2000) };
    }));
    for (const r of results) expect(r, r.out).toEqual({ id: r.id, ok: true, out: r.out });
  }, 240_000);
});
