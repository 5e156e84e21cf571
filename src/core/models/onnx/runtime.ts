// onnxruntime-web as an independent float reference: it runs an .onnx file (Mote's export or an imported
// one) on Mote's channels_last samples and returns its outputs in Mote's layout, so they compare element by
// element with the float reference interpreter. The package itself is never imported here: the place that
// runs Mote hands in an `OnnxRuntime` (Node: the package's own entry, pipeline/environment.node.ts; the app:
// its onnx worker, with the .wasm served by the app) built with `onnxRuntimeFrom`, both on the wasm backend.

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

/** What Mote needs of an ONNX runtime: run a model's single input through it, channels-first with a batch dim. */
export interface OnnxRuntime {
  /** The model's single output for `input` of `dims` ([batch, ...channelsFirst]), flattened as the runtime returns it. */
  run(model: Uint8Array, input: Float32Array, dims: readonly number[]): Promise<Float32Array>;
}

/** The part of onnxruntime-web's module `onnxRuntimeFrom` uses (typed here so that core never imports it). */
export interface OrtModule {
  env: { wasm: { numThreads?: number } };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
  InferenceSession: {
    create(model: Uint8Array, options: { executionProviders: string[]; graphOptimizationLevel: 'disabled' }): Promise<{
      inputNames: readonly string[];
      outputNames: readonly string[];
      run(feeds: Record<string, unknown>): Promise<Record<string, { data: unknown }>>;
      release(): Promise<void>;
    }>;
  };
}

/** An OnnxRuntime on onnxruntime-web's wasm backend, single-threaded, graph optimizations off (the model as written). */
export function onnxRuntimeFrom(ort: OrtModule): OnnxRuntime {
  return {
    async run(model, input, dims) {
      ort.env.wasm.numThreads = 1;
      const session = await ort.InferenceSession.create(model, { executionProviders: ['wasm'], graphOptimizationLevel: 'disabled' });
      try {
        const results = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, dims) });
        return Float32Array.from(results[session.outputNames[0]].data as Float32Array);
      } finally {
        await session.release();
      }
    },
  };
}

export interface OnnxRuntimeResult {
  /** [count, ...outputShape] flattened, channels_last like Mote's. */
  output: Float32Array;
}

/**
 * Runs the model with `runtime` on `count` samples of `inputShape` (Mote's layout) and returns the single
 * output reordered to `outputShape` (Mote's layout).
 */
export async function runOnnxRuntime(runtime: OnnxRuntime, bytes: Uint8Array, inputShape: readonly number[], outputShape: readonly number[], samples: Float32Array, count: number): Promise<OnnxRuntimeResult> {
  const output = await runtime.run(bytes, transposeSamples(samples, inputShape, count), [count, ...channelsFirstShape(inputShape)]);
  return { output: transposeSamples(output, outputShape, count, true) };
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
