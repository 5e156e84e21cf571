// The pure half of the Linux target's evaluation: the raw bytes the harness reads and writes (the ABI's
// host-side conversion), the TypeScript reference's outputs for the same vectors, and their comparison.
// linux-build.node.ts compiles and runs the harness; pipeline/evaluate.ts puts the two together.
import type { CodegenModel } from '../../codegen/types';
import type { LongWidth } from '../../layers/shared/fixed-point';
import { forwardFloat } from '../../models/reference-float';
import { sizeOf } from '../../models/shapes';
import { quantizeInput, runIntReference } from '../../quantization/reference-int';

export interface TestVectors {
  /** `count` samples back to back, channels_last. */
  x: Float32Array | Uint8Array;
  labels: Int32Array;
  count: number;
}

/** Raw bytes of the test vectors in the model's number format (the ABI's host-side conversion). */
export function encodeInputs(model: CodegenModel, test: TestVectors, inputSize: number): Uint8Array {
  if (model.format === 'float32') {
    const data = test.x instanceof Float32Array ? test.x.slice(0, test.count * inputSize) : Float32Array.from(test.x.subarray(0, test.count * inputSize));
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  const raw = quantizeInput(model.quantized, test.x.subarray(0, test.count * inputSize));
  const typed = model.format === 'int8' ? Int8Array.from(raw) : Int16Array.from(raw);
  return new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength);
}

export function decodeOutputs(model: CodegenModel, bytes: Uint8Array): Int32Array | Float32Array {
  const copy = bytes.slice();
  if (model.format === 'float32') return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  if (model.format === 'int16') return Int32Array.from(new Int16Array(copy.buffer, 0, copy.byteLength / 2));
  return Int32Array.from(new Int8Array(copy.buffer));
}

/** The TypeScript reference's outputs for the test vectors (raw integers, or floats). */
export function referenceOutputs(model: CodegenModel, test: TestVectors, options: { longWidth?: LongWidth } = {}): Int32Array | Float32Array {
  if (model.format === 'float32') {
    const graph = model.graph;
    const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
    const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
    const out = new Float32Array(test.count * outputSize);
    for (let start = 0; start < test.count; start += 256) {
      const batch = Math.min(256, test.count - start);
      const slice = test.x.subarray(start * inputSize, (start + batch) * inputSize);
      const { output } = forwardFloat(graph, { data: slice instanceof Float32Array ? slice : Float32Array.from(slice), batch });
      out.set(output, start * outputSize);
    }
    return out;
  }
  const q = model.quantized;
  const inputSize = sizeOf(q.graph.shapes[q.graph.layers[0].name]);
  const outputSize = sizeOf(q.graph.shapes[q.graph.layers[q.graph.layers.length - 1].name]);
  const out = new Int32Array(test.count * outputSize);
  for (let i = 0; i < test.count; i++) {
    const raw = quantizeInput(q, test.x.subarray(i * inputSize, (i + 1) * inputSize));
    out.set(runIntReference(q, raw, { longWidth: options.longWidth }), i * outputSize);
  }
  return out;
}

function argmax(values: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let j = 1; j < n; j++) if (values[start + j] > values[start + best]) best = j;
  return best;
}

export interface LinuxEvaluation {
  n: number;
  accuracy: number;
  reference_accuracy: number;
  /** int8/int16: share of vectors whose raw outputs equal the reference's; float32: share with the same class. */
  agreement: number;
  /** int8/int16: every raw output equal; null for float32. */
  bit_exact: boolean | null;
  /** float32: largest |target − reference| / max|reference| over a vector's outputs; null for fixed point. */
  max_rel_diff: number | null;
  /** Index of the first vector that differs, for debugging; null when none. */
  first_mismatch: number | null;
  rom_bytes: number;
  ram_bytes: number;
  macs: number;
}

/** Compares target outputs with reference outputs (both flat, `outputSize` values per vector). */
export function compareOutputs(format: CodegenModel['format'], target: ArrayLike<number>, reference: ArrayLike<number>, labels: Int32Array, count: number, outputSize: number) {
  let agree = 0;
  let correct = 0;
  let referenceCorrect = 0;
  let maxRel = 0;
  let firstMismatch: number | null = null;
  for (let i = 0; i < count; i++) {
    const base = i * outputSize;
    const predicted = argmax(target, base, outputSize);
    const expected = argmax(reference, base, outputSize);
    if (predicted === labels[i]) correct++;
    if (expected === labels[i]) referenceCorrect++;
    let same: boolean;
    if (format === 'float32') {
      same = predicted === expected;
      let scale = 0;
      for (let j = 0; j < outputSize; j++) scale = Math.max(scale, Math.abs(reference[base + j]));
      for (let j = 0; j < outputSize; j++) maxRel = Math.max(maxRel, Math.abs(target[base + j] - reference[base + j]) / Math.max(scale, 1e-30));
    } else {
      same = true;
      for (let j = 0; j < outputSize; j++) if (target[base + j] !== reference[base + j]) { same = false; break; }
    }
    if (same) agree++;
    else if (firstMismatch === null) firstMismatch = i;
  }
  return {
    n: count,
    accuracy: count ? correct / count : 0,
    reference_accuracy: count ? referenceCorrect / count : 0,
    agreement: count ? agree / count : 0,
    bit_exact: format === 'float32' ? null : agree === count,
    max_rel_diff: format === 'float32' ? maxRel : null,
    first_mismatch: firstMismatch,
  };
}


/** Per-vector rows (predictions, raw outputs against the reference) of a comparison, for the app's evaluation view. */
export function sampleRows(format: CodegenModel['format'], target: ArrayLike<number>, reference: ArrayLike<number>, labels: Int32Array, count: number, outputSize: number) {
  const rows: { index: number; label: number; predicted: number; referencePredicted: number; bitExact: boolean; counter: number; outputs: number[]; reference: number[] }[] = [];
  for (let i = 0; i < count; i++) {
    const base = i * outputSize;
    const outputs = Array.from({ length: outputSize }, (_, j) => target[base + j]);
    const expected = Array.from({ length: outputSize }, (_, j) => reference[base + j]);
    const predicted = argmax(target, base, outputSize);
    const referencePredicted = argmax(reference, base, outputSize);
    const bitExact = format === 'float32' ? predicted === referencePredicted : outputs.every((v, j) => v === expected[j]);
    rows.push({ index: i, label: labels[i], predicted, referencePredicted, bitExact, counter: 0, outputs, reference: expected });
  }
  return rows;
}
