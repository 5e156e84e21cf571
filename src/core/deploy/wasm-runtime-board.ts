// The Wasm board on the runtime route: the model as a blob (src/core/runtime/blob.ts) run by the Mote
// Runtime's prebuilt wasm image (runtime/prebuilt/mote-runtime.wasm) in this thread — Node, or the app's
// board worker — with no compiler anywhere. Returns what a results.json row needs: accuracy against the
// labels, bit-exactness against the integer reference, the blob's size as ROM and its arena as RAM.
import type { CodegenModel } from '../codegen/types';
import type { LongWidth } from '../layers/shared/fixed-point';
import type { Dialect } from '../layers/facets/c';
import { countMacs, sizeOf } from '../models/shapes';
import { encodeModelBlob } from '../runtime/blob';
import { instantiateWasmRuntime, RuntimeImageError, type WasmRuntime } from '../runtime/wasm-runtime';
import { compareOutputs, decodeOutputs, encodeInputs, referenceOutputs, type LinuxEvaluation, type TestVectors } from './targets/linux-compare';

export interface WasmRuntimeEvaluation extends LinuxEvaluation {
  /** The blob's CRC-32 as the runtime read it (the model hash). */
  model_crc: number;
  inferences: number;
}

export interface WasmRuntimeEvaluateOptions {
  dialect?: Dialect;
  longWidth?: LongWidth;
  name?: string;
}

/** Evaluates a fixed-point model on the wasm runtime (`runtime`: an instance, or the image's bytes). */
export async function evaluateOnWasmRuntime(runtime: WasmRuntime | Uint8Array, model: CodegenModel, test: TestVectors, options: WasmRuntimeEvaluateOptions = {}): Promise<WasmRuntimeEvaluation> {
  if (model.format === 'float32') throw new RuntimeImageError('the Mote Runtime runs int8 and int16 models only; quantize the model (deploy.quantize = ["int8"]) or use the generated-C route for float32');
  const rt = runtime instanceof Uint8Array ? await instantiateWasmRuntime(runtime) : runtime;
  const graph = model.quantized.graph;
  const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
  const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
  const { bytes } = encodeModelBlob(model.quantized, { dialect: options.dialect, longWidth: options.longWidth, name: options.name?.replace(/[^\x20-\x7e]/g, '_').slice(0, 59) });
  const loaded = rt.load(bytes);
  const target = decodeOutputs(model, rt.run(encodeInputs(model, test, inputSize)));
  const reference = referenceOutputs(model, test, { longWidth: options.longWidth });
  const compared = compareOutputs(model.format, target, reference, test.labels, test.count, outputSize);
  return {
    ...compared,
    rom_bytes: bytes.length,
    ram_bytes: loaded.arenaBytes,
    macs: countMacs(graph),
    model_crc: loaded.crc,
    inferences: rt.inferences,
  };
}
