// The model blob encoder: a QuantizedGraph → the bytes the Mote Runtime loads (docs/model-blob.md). Each
// layer's record comes from its kind's blob facet (layers/<kind>/blob.ts); this engine numbers the tensors,
// packs them into one activation arena (the generator's allocator, codegen/allocator.ts), lays out the
// weights (8-byte aligned), writes the header and closes with a CRC-32.

import { crc32 } from '../base/crc32';
import { UnsupportedError } from '../base/errors';
import { packBuffers, type BufferRequest } from '../codegen/allocator';
import type { Dialect } from '../layers/facets/c';
import type { BlobEmitContext } from '../layers/facets/blob';
import { packedLayout } from '../layers/shared/arith-c';
import { defaultLongWidth, type LongWidth } from '../layers/shared/fixed-point';
import { sizeOf } from '../layers/shared/geometry';
import { facetOf } from '../layers/table';
import type { QuantizedGraph } from '../quantization/quantized-graph';
import {
  H, HEADER_BYTES, LAYER_RECORD_FIXED_BYTES, MAX_LAYER_INPUTS, MAX_NAME_BYTES, MODEL_BLOB_FORMAT_VERSION, MODEL_BLOB_MAGIC,
  ROUND_CODES, TENSOR_ENTRY_BYTES, TENSOR_INPUT,
} from './blob-format';

export interface BlobOptions {
  /** 'cortex-m' stores Conv/Dense weights in the packed SIMD layout (as the generator's cortex-m dialect). */
  dialect?: Dialect;
  longWidth?: LongWidth;
  packInt8Weights?: boolean;
  /** Model name in the header (HELLO reports it); ASCII, at most 59 bytes. */
  name?: string;
}

export interface BlobReport {
  bytes: number;
  arenaBytes: number;
  weightBytes: number;
  layers: number;
  tensors: number;
  /** The blob's CRC-32: what the runtime reports as the model hash in HELLO. */
  crc: number;
  packed: boolean;
}

class WeightSection {
  private chunks: Uint8Array[] = [];
  size = 0;
  constructor(private readonly bits: 8 | 16, private readonly longWidth: LongWidth) {}

  add(type: 'number' | 'acc' | 'word', values: ArrayLike<number>): number {
    this.size = Math.ceil(this.size / 8) * 8;
    const offset = this.size;
    const width = type === 'number' ? this.bits / 8 : type === 'word' || this.longWidth !== 64 ? 4 : 8;
    const bytes = new Uint8Array(values.length * width);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (width === 1) view.setInt8(i, v);
      else if (width === 2) view.setInt16(2 * i, v, true);
      else if (width === 4) view.setInt32(4 * i, v, true);
      else view.setBigInt64(8 * i, BigInt(v), true);
    }
    this.chunks.push(new Uint8Array(offset - (this.chunks.reduce((n, c) => n + c.length, 0))), bytes);
    this.size += bytes.length;
    return offset;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const chunk of this.chunks) { out.set(chunk, at); at += chunk.length; }
    return out;
  }
}

function asciiName(name: string): Uint8Array {
  const bytes = Uint8Array.from(Array.from(name, (c) => { const code = c.charCodeAt(0); return code >= 0x20 && code < 0x7f ? code : 0x3f; }).slice(0, MAX_NAME_BYTES));
  return bytes;
}

/** The blob for a fixed-point model; float32 models have no runtime kernels (use the generated C). */
export function encodeModelBlob(q: QuantizedGraph, options: BlobOptions = {}): { bytes: Uint8Array; report: BlobReport } {
  const graph = q.graph;
  const bits = q.bits;
  const longWidth = options.longWidth ?? defaultLongWidth(bits);
  const number = bits === 8 ? 'int8' : 'int16';
  const packed = packedLayout({ number, dialect: options.dialect ?? 'c99', longWidth, packInt8Weights: options.packInt8Weights ?? true });
  const inputLayer = graph.layers[0];
  const last = graph.layers[graph.layers.length - 1];
  if (last === inputLayer) throw new UnsupportedError(`model '${graph.name}' has no layers after its input; the runtime needs at least one`);
  const inputShape = graph.shapes[inputLayer.name];
  if (inputShape.length > 4 || inputShape.some((d) => d > 0xffff)) throw new UnsupportedError(`model '${graph.name}': the blob stores input shapes of rank ≤ 4 with dims ≤ 65535, got [${inputShape.join(', ')}]`);
  const fracOf = (name: string) => (name === inputLayer.name ? q.input.frac : q.formats[name].output);
  const weights = new WeightSection(bits, longWidth);

  // Tensors: 0 is the caller's input; each record's output is a new one; an alias shares its input's.
  const tensorOf = new Map<string, number>([[inputLayer.name, 0]]);
  const tensorSizes = [sizeOf(inputShape)];
  const records: { code: number; inputs: number[]; output: number; params: number[]; step: number }[] = [];
  graph.layers.slice(1).forEach((layer, index) => {
    const encoder = facetOf(layer, 'blob');
    if (layer.inputs.length > MAX_LAYER_INPUTS) throw new UnsupportedError(`layer '${layer.name}' (${layer.kind}) has ${layer.inputs.length} inputs; the runtime takes at most ${MAX_LAYER_INPUTS}`);
    const ctx: BlobEmitContext = {
      inShapes: layer.inputs.map((name) => graph.shapes[name]),
      outShape: graph.shapes[layer.name],
      bits,
      longWidth,
      packed,
      format: q.formats[layer.name],
      inFracs: layer.inputs.map(fracOf),
      intWeight: (role) => q.weights[`${layer.name}/${role}`],
      weights: (type, values) => weights.add(type, values),
    };
    const code = (encoder.encode as (l: typeof layer, c: BlobEmitContext) => ReturnType<typeof encoder.encode>)(layer, ctx);
    if (code.kind === 'alias') {
      tensorOf.set(layer.name, tensorOf.get(layer.inputs[0])!);
      return;
    }
    const output = tensorSizes.length;
    tensorSizes.push(sizeOf(graph.shapes[layer.name]));
    tensorOf.set(layer.name, output);
    records.push({ code: encoder.code!, inputs: layer.inputs.map((name) => tensorOf.get(name)!), output, params: code.params, step: index + 1 });
  });
  const outputTensor = tensorOf.get(last.name)!;
  if (tensorSizes.length > 0xffff || records.length > 0xffff) throw new UnsupportedError(`model '${graph.name}' has more tensors or layers than a blob holds (65535)`);

  // Arena: a tensor lives from the record that writes it to the last that reads it; the output to the end.
  const requests: BufferRequest[] = records.map((r) => ({ name: String(r.output), size: tensorSizes[r.output], first: r.step, last: r.step }));
  const byTensor = new Map(requests.map((r) => [Number(r.name), r]));
  for (const r of records) for (const t of r.inputs) { const request = byTensor.get(t); if (request) request.last = Math.max(request.last, r.step); }
  const outputRequest = byTensor.get(outputTensor);
  if (outputRequest) outputRequest.last = graph.layers.length;
  const plan = packBuffers(requests, Math.max(1, 4 / (bits / 8)));
  const offsetOf = new Map(plan.placements.map((p) => [Number(p.name), p.offset]));

  // Layer records.
  const recordBytes = records.map((r) => LAYER_RECORD_FIXED_BYTES + Math.ceil((2 * r.inputs.length) / 4) * 4 + 4 * r.params.length);
  const layersBytes = recordBytes.reduce((a, b) => a + b, 0);
  const tensorsOffset = HEADER_BYTES;
  const layersOffset = tensorsOffset + TENSOR_ENTRY_BYTES * tensorSizes.length;
  const weightsOffset = Math.ceil((layersOffset + layersBytes) / 8) * 8;
  const weightBytes = weights.bytes();
  const blobBytes = Math.ceil((weightsOffset + weightBytes.length) / 4) * 4 + 4;
  // The weights section runs to the CRC (its padding to 4 bytes included).
  const weightsSectionBytes = blobBytes - 4 - weightsOffset;
  const out = new Uint8Array(blobBytes);
  const view = new DataView(out.buffer);
  out.set(MODEL_BLOB_MAGIC, H.magic);
  view.setUint16(H.version, MODEL_BLOB_FORMAT_VERSION, true);
  view.setUint16(H.headerBytes, HEADER_BYTES, true);
  view.setUint32(H.blobBytes, blobBytes, true);
  view.setUint8(H.bits, bits);
  view.setUint8(H.longWidth, longWidth);
  view.setUint8(H.packed, packed ? 1 : 0);
  view.setUint8(H.inputRank, inputShape.length);
  inputShape.forEach((d, i) => view.setUint16(H.inputShape + 2 * i, d, true));
  view.setInt8(H.inputFrac, q.input.frac);
  view.setInt8(H.outputFrac, fracOf(last.name));
  view.setUint8(H.inputRound, ROUND_CODES[q.input.round]);
  view.setUint16(H.tensorCount, tensorSizes.length, true);
  view.setUint16(H.layerCount, records.length, true);
  view.setUint16(H.outputTensor, outputTensor, true);
  view.setUint32(H.arenaElements, plan.size, true);
  view.setUint32(H.inputElements, tensorSizes[0], true);
  view.setUint32(H.outputElements, tensorSizes[outputTensor], true);
  view.setUint32(H.tensorsOffset, tensorsOffset, true);
  view.setUint32(H.layersOffset, layersOffset, true);
  view.setUint32(H.layersBytes, layersBytes, true);
  view.setUint32(H.weightsOffset, weightsOffset, true);
  view.setUint32(H.weightsBytes, weightsSectionBytes, true);
  const name = asciiName(options.name ?? graph.name);
  view.setUint8(H.nameLength, name.length);
  out.set(name, H.name);
  tensorSizes.forEach((size, t) => {
    view.setUint32(tensorsOffset + TENSOR_ENTRY_BYTES * t, t === 0 ? TENSOR_INPUT : offsetOf.get(t)!, true);
    view.setUint32(tensorsOffset + TENSOR_ENTRY_BYTES * t + 4, size, true);
  });
  let at = layersOffset;
  records.forEach((r, i) => {
    view.setUint8(at, r.code);
    view.setUint8(at + 1, r.inputs.length);
    view.setUint16(at + 2, r.params.length, true);
    view.setUint16(at + 4, r.output, true);
    r.inputs.forEach((t, k) => view.setUint16(at + 8 + 2 * k, t, true));
    const paramsAt = at + 8 + Math.ceil((2 * r.inputs.length) / 4) * 4;
    r.params.forEach((p, k) => {
      if (!Number.isInteger(p) || p < -(2 ** 31) || p >= 2 ** 31) throw new Error(`internal: layer record ${i} parameter ${k} = ${p} is not an int32`);
      view.setInt32(paramsAt + 4 * k, p, true);
    });
    at += recordBytes[i];
  });
  out.set(weightBytes, weightsOffset);
  const crc = crc32(out.subarray(0, blobBytes - 4));
  view.setUint32(blobBytes - 4, crc, true);
  return {
    bytes: out,
    report: { bytes: blobBytes, arenaBytes: plan.size * (bits / 8), weightBytes: weightBytes.length, layers: records.length, tensors: tensorSizes.length, crc, packed: packed !== undefined },
  };
}
