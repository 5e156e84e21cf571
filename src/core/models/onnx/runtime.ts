// onnxruntime-web as an independent float reference: it runs an .onnx file (Mote's export or an imported
// one) on Mote's channels_last samples and returns its outputs in Mote's layout, so they compare element by
// element with the float reference interpreter. Loaded lazily (its wasm is large); in Node the package's
// own entry runs the same wasm backend single-threaded.

import { sizeOf } from '../../layers/shared/geometry';
import { channelsFirstShape } from './export';

/** Reorders `count` channels_last samples of `shape` to channels-first (or back, with `inverse`). */
export function transposeSamples(data: Float32Array, shape: readonly number[], count: number, inverse = false): Float32Array {
  if (shape.length < 2) return Float32Array.from(data);
  const size = sizeOf(shape);
  const channels = shape[shape.length - 1];
  const positions = size / channels;
  const out = new Float32Array(data.length);
  for (let b = 0; b < count; b++) {
    const base = b * size;
    for (let p = 0; p < positions; p++) for (let c = 0; c < channels; c++) {
      const last = base + p * channels + c;
      const first = base + c * positions + p;
      if (inverse) out[last] = data[first];
      else out[first] = data[last];
    }
  }
  return out;
}

export interface OnnxRuntimeResult {
  /** [count, ...outputShape] flattened, channels_last like Mote's. */
  output: Float32Array;
}

/**
 * Runs the model in onnxruntime-web's wasm backend on `count` samples of `inputShape` (Mote's layout) and
 * returns the single output reordered to `outputShape` (Mote's layout).
 */
export async function runOnnxRuntime(bytes: Uint8Array, inputShape: readonly number[], outputShape: readonly number[], samples: Float32Array, count: number): Promise<OnnxRuntimeResult> {
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' });
  try {
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', transposeSamples(samples, inputShape, count), [count, ...channelsFirstShape(inputShape)]) };
    const results = await session.run(feeds);
    const data = results[session.outputNames[0]].data as Float32Array;
    return { output: transposeSamples(Float32Array.from(data), outputShape, count, true) };
  } finally {
    await session.release();
  }
}

/** Largest |a − b| over the largest |b| of each sample: relative to the output's scale, so near-zero logits
 * do not dominate. */
export function maxRelativeDifference(a: Float32Array, b: Float32Array, count: number): number {
  const size = a.length / count;
  let worst = 0;
  for (let s = 0; s < count; s++) {
    let diff = 0;
    let scale = 0;
    for (let i = s * size; i < (s + 1) * size; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    worst = Math.max(worst, scale > 0 ? diff / scale : diff);
  }
  return worst;
}
