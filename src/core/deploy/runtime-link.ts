// The runtime route's one step on any byte link to a board that runs the Mote Runtime (QEMU's emulated
// UART, rp2040js's UART0, a serial port): the test vectors in the model's raw input format, the model blob
// loaded (evaluation/model-load.ts, protocol 2), the protocol evaluation checked vector by vector against the
// integer reference, and the results row's common part (accuracy, bit-exactness, the blob as ROM, its arena
// as RAM, MACs, the model hash the board reported). Each executor only opens and closes its own link.
import type { CodegenModel } from '../codegen/types';
import { evaluateOnBoard, type EvaluationReport } from '../evaluation/evaluator';
import { loadModelOnBoard, type ModelLoadReport } from '../evaluation/model-load';
import type { RawVector } from '../evaluation/protocol-v1';
import type { ByteTransport } from '../evaluation/transport';
import type { LongWidth } from '../layers/shared/fixed-point';
import { countMacs, sizeOf } from '../models/shapes';
import { blobNeeds } from './runtime-fit';
import { compareOutputs, encodeInputs, referenceOutputs, type LinuxEvaluation, type TestVectors } from './targets/linux-compare';

export interface RuntimeLinkOptions {
  transport: ByteTransport;
  /** The fixed-point model the blob encodes: the integer reference the outputs are checked against. */
  model: CodegenModel & { format: 'int8' | 'int16' };
  test: TestVectors;
  /** The model blob in the board's layout, its CRC-32 in the last 4 bytes. */
  blob: Uint8Array;
  longWidth?: LongWidth;
  chunkBytes?: number;
  frameTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface RuntimeLinkEvaluation {
  loaded: ModelLoadReport;
  report: EvaluationReport;
  /** The board's outputs compared with the reference, as every results row is; ROM = blob, RAM = its arena. */
  row: LinuxEvaluation & { model_crc: number };
}

/** Loads the blob into the runtime at the other end of `transport`, then evaluates the test vectors on it. */
export async function loadAndEvaluateOverLink(options: RuntimeLinkOptions): Promise<RuntimeLinkEvaluation> {
  const { transport, model, test, blob, onProgress } = options;
  const graph = model.quantized.graph;
  const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
  const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
  const raw = encodeInputs(model, test, inputSize);
  const width = model.format === 'int8' ? 1 : 2;
  const vectors: RawVector[] = Array.from({ length: test.count }, (_, i) => {
    const bytes = raw.slice(i * inputSize * width, (i + 1) * inputSize * width);
    return width === 1 ? new Int8Array(bytes.buffer) : new Int16Array(bytes.buffer);
  });
  const reference = referenceOutputs(model, test, { longWidth: options.longWidth });
  const crc = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(blob.length - 4, true);
  const loaded = await loadModelOnBoard({ transport, blob, chunkBytes: options.chunkBytes, frameTimeoutMs: options.frameTimeoutMs, signal: options.signal });
  const report = await evaluateOnBoard({
    transport, vectors, labels: test.labels, hello: loaded.hello, expectedModelHash: crc,
    reference: (_v, i) => reference.subarray(i * outputSize, (i + 1) * outputSize),
    frameTimeoutMs: options.frameTimeoutMs, signal: options.signal, onProgress: onProgress && ((p) => onProgress(p.done, p.total)),
  });
  const target = new Int32Array(test.count * outputSize);
  for (const row of report.rows) target.set(row.outputs, row.index * outputSize);
  return {
    loaded,
    report,
    row: {
      ...compareOutputs(model.format, target, reference, test.labels, test.count, outputSize),
      rom_bytes: blob.length,
      ram_bytes: blobNeeds(blob).arenaBytes,
      macs: countMacs(graph),
      model_crc: report.hello.modelHash,
    },
  };
}
