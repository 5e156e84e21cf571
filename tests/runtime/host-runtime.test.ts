// The Mote Runtime (runtime/src, C) interprets a model blob (src/core/runtime/blob.ts) and must return
// exactly the integer reference's outputs, like the generated C does: every int8/int16 zoo model, both
// weight layouts (portable and the cortex-m packed layout, whose SIMD words the host runs through the
// portable arithmetic of mote_rt_arith.h), and narrow/wide accumulators. The host build uses ASan+UBSan.
// A corrupted blob is refused by the loader with its status, never run.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodegenModel, Dialect } from '../../src/core/codegen/types';
import { compareOutputs, decodeOutputs, encodeInputs, referenceOutputs } from '../../src/core/deploy/targets/linux-compare';
import type { LongWidth, RoundMode } from '../../src/core/layers/shared/fixed-point';
import { kindsSupporting } from '../../src/core/layers/table';
import { sizeOf } from '../../src/core/models/shapes';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { BLOB_STATUS_TEXT, BlobStatus } from '../../src/core/runtime/blob-format';
import { requireTools } from '../firmware/helpers';
import { importOnnx } from '../../src/core/models/onnx/import';
import { encodeOnnxModel } from '../../src/core/models/onnx/schema';
import { torchCnn2d, torchResnet1d } from '../models/onnx/torch-style';
import { exec, pool } from '../codegen/host-build';
import { GOLDEN, goldenBlob } from './golden';
import { quantizeZooModel, randomData, wideDenseModel, zoo } from '../codegen/zoo';

const RUNTIME = resolve(__dirname, '../../runtime');
const root = mkdtempSync(join(tmpdir(), 'mote-runtime-'));
const host = join(root, 'mote_rt_host');
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Variant { id: string; model: Extract<CodegenModel, { quantized: unknown }>; dialect: Dialect; longWidth: LongWidth | undefined }

const ROUNDS: RoundMode[] = ['nearest', 'floor', 'ceil'];
const CALIBRATION = 64;
const VECTORS = 32;

function variants(): Variant[] {
  const out: Variant[] = [];
  Object.entries(zoo).forEach(([name, make], index) => {
    const graph = make();
    const calibration = randomData(graph.shapes.input, CALIBRATION, 100 + index);
    for (const bits of [8, 16] as const) {
      const round = ROUNDS[(index + bits / 8) % ROUNDS.length];
      const quantized = quantizeZooModel(graph, bits, round, calibration, CALIBRATION);
      for (const dialect of ['c99', 'cortex-m'] as const) out.push({ id: `${name}_int${bits}_${round}_${dialect}`, model: { format: `int${bits}`, quantized }, dialect, longWidth: undefined });
    }
  });
  for (const [name, bits, longWidth] of [['wide_dense', 8, 16], ['conv2d', 8, 16], ['depthwise', 8, 64], ['conv1d', 16, 32]] as const) {
    const graph = name === 'wide_dense' ? wideDenseModel() : zoo[name]();
    const quantized = quantizeZooModel(graph, bits, 'nearest', randomData(graph.shapes.input, CALIBRATION, 7), CALIBRATION);
    out.push({ id: `${name}_int${bits}_long${longWidth}`, model: { format: `int${bits}`, quantized }, dialect: 'cortex-m', longWidth });
  }
  // Models imported from ONNX (written like torch.onnx.export) take the runtime route too.
  for (const [name, make] of Object.entries({ torch_cnn2d: torchCnn2d, torch_resnet1d: torchResnet1d })) {
    const graph = importOnnx(encodeOnnxModel(make()), { name });
    const quantized = quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, CALIBRATION, 8), CALIBRATION);
    for (const dialect of ['c99', 'cortex-m'] as const) out.push({ id: `onnx_${name}_int8_${dialect}`, model: { format: 'int8', quantized }, dialect, longWidth: undefined });
  }
  return out;
}

const all = variants();
const haveCc = requireTools('cc');

function run(blob: Uint8Array, inputs: Uint8Array, id: string) {
  const blobPath = join(root, `${id}.blob`), inPath = join(root, `${id}.in`), outPath = join(root, `${id}.out`);
  writeFileSync(blobPath, blob);
  writeFileSync(inPath, inputs);
  return exec(host, [blobPath, inPath, outPath]).then((r) => ({ ...r, outPath }));
}

describe('the Mote Runtime interprets model blobs bit-exactly with the integer reference', () => {
  beforeAll(async () => {
    if (!haveCc) return;
    // The CRC is the firmware's own (firmware-templates/common), as on a board.
    const sources = [...['src/mote_runtime.c', 'src/mote_rt_kernels.c', 'host/mote_rt_host.c'].map((f) => join(RUNTIME, f)), resolve(RUNTIME, '../firmware-templates/common/mote_crc32.c')];
    const built = await exec('cc', ['-std=c11', '-O1', '-g', '-Wall', '-Wextra', '-Werror', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', `-I${join(RUNTIME, 'src')}`, `-I${resolve(RUNTIME, '../firmware-templates/common')}`, ...sources, '-o', host]);
    if (!built.ok) throw new Error(`the runtime does not build on the host:\n${built.out}`);
  }, 120_000);

  it('the zoo covers every layer kind with a blob record', () => {
    const seen = new Set(all.flatMap((v) => v.model.quantized.graph.layers.map((l) => l.kind)));
    for (const kind of kindsSupporting('blob')) expect(seen, `zoo lacks ${kind}`).toContain(kind);
  });

  it.runIf(haveCc)('every zoo variant returns the reference outputs on every vector', async () => {
    const results = await pool(all.map((variant) => async () => {
      const graph = variant.model.quantized.graph;
      const inputShape = graph.shapes[graph.layers[0].name];
      const { bytes } = encodeModelBlob(variant.model.quantized, { dialect: variant.dialect, longWidth: variant.longWidth, name: variant.id });
      const x = randomData(inputShape, VECTORS, 999).map((v) => v * 2);
      const test = { x, labels: new Int32Array(VECTORS), count: VECTORS };
      const ran = await run(bytes, encodeInputs(variant.model, test, sizeOf(inputShape)), variant.id);
      if (!ran.ok) return { id: variant.id, bit_exact: false, first_mismatch: ran.out };
      const target = decodeOutputs(variant.model, new Uint8Array(readFileSync(ran.outPath)));
      const reference = referenceOutputs(variant.model, test, { longWidth: variant.longWidth });
      const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
      const r = compareOutputs(variant.model.format, target, reference, test.labels, VECTORS, outputSize);
      return { id: variant.id, bit_exact: r.bit_exact, first_mismatch: r.first_mismatch };
    }));
    for (const r of results) expect(r).toEqual({ id: r.id, bit_exact: true, first_mismatch: null });
  }, 240_000);

  it.runIf(haveCc)('the golden v1 blobs on disk still load and return the reference outputs', async () => {
    for (const g of GOLDEN) {
      const graph = zoo[g.model]();
      const quantized = quantizeZooModel(graph, g.bits, 'nearest', randomData(graph.shapes.input, 64, 11), 64);
      const model = { format: `int${g.bits}`, quantized } as Variant['model'];
      const onDisk = new Uint8Array(readFileSync(resolve(__dirname, '../samples/runtime', g.file)));
      expect(onDisk).toEqual(goldenBlob(g));
      const inputShape = graph.shapes[graph.layers[0].name];
      const test = { x: randomData(inputShape, 8, 5), labels: new Int32Array(8), count: 8 };
      const ran = await run(onDisk, encodeInputs(model, test, sizeOf(inputShape)), `golden-${g.model}`);
      expect(ran.ok, ran.out).toBe(true);
      const target = decodeOutputs(model, new Uint8Array(readFileSync(ran.outPath)));
      const reference = referenceOutputs(model, test, {});
      const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
      const r = compareOutputs(model.format, target, reference, test.labels, 8, outputSize);
      expect({ file: g.file, bit_exact: r.bit_exact, first_mismatch: r.first_mismatch }).toEqual({ file: g.file, bit_exact: true, first_mismatch: null });
    }
  }, 60_000);

  it.runIf(haveCc)('a corrupted or foreign blob is refused with its status, and nothing runs', async () => {
    const variant = all.find((v) => v.id.startsWith('conv2d_int8'))!;
    const { bytes } = encodeModelBlob(variant.model.quantized, { dialect: 'c99' });
    const inputs = new Uint8Array(sizeOf(variant.model.quantized.graph.shapes.input));
    const flipped = bytes.slice(); flipped[bytes.length - 20] ^= 0x40;
    const foreign = bytes.slice(); foreign[0] = 0x7f;
    const future = bytes.slice(); future[4] = 99;
    const cases: [string, Uint8Array, number][] = [
      ['truncated', bytes.slice(0, bytes.length - 9), BlobStatus.truncated],
      ['flipped', flipped, BlobStatus.badCrc],
      ['foreign', foreign, BlobStatus.badMagic],
      ['future', future, BlobStatus.unknownVersion],
    ];
    for (const [id, blob, status] of cases) {
      const ran = await run(blob, inputs, `bad-${id}`);
      expect(ran.ok, id).toBe(false);
      expect(ran.out, id).toMatch(new RegExp(`load failed: status ${status} at byte \\d+`));
      expect(BLOB_STATUS_TEXT[status]).toBeTruthy();
    }
  }, 60_000);
});
