// The golden v1 model blobs of tests/samples/runtime, and how each is made (see golden-blob.test.ts).

import { encodeModelBlob } from '../../src/core/runtime/blob';
import { quantizeZooModel, randomData, zoo } from '../codegen/zoo';

/** The golden models: deterministic (seeded data), small, covering conv, pooling, dense and a residual add. */
export const GOLDEN = [
  { file: 'conv2d_int8_c99.v1.blob', model: 'conv2d', bits: 8, dialect: 'c99' },
  { file: 'residual1d_int16_cortex-m.v1.blob', model: 'residual1d', bits: 16, dialect: 'cortex-m' },
] as const;

export function goldenBlob(g: (typeof GOLDEN)[number]): Uint8Array {
  const graph = zoo[g.model]();
  const quantized = quantizeZooModel(graph, g.bits, 'nearest', randomData(graph.shapes.input, 64, 11), 64);
  return encodeModelBlob(quantized, { dialect: g.dialect, name: g.file }).bytes;
}

