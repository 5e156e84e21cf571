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
import type { RuntimeExecutor } from './environment';
import type { TransportKind } from './transports';
import type { SampleReport } from '../evaluation/evaluator';
import { compareOutputs, decodeOutputs, encodeInputs, referenceOutputs, sampleRows, type LinuxEvaluation, type TestVectors } from './targets/linux-compare';

export interface WasmRuntimeEvaluation extends LinuxEvaluation {
  /** The blob's CRC-32 as the runtime read it (the model hash). */
  model_crc: number;
  inferences: number;
  /** Every vector's outputs against the reference (no protocol ran: no HELLO, no counter). */
  report: SampleReport;
}

export interface WasmRuntimeEvaluateOptions {
  dialect?: Dialect;
  longWidth?: LongWidth;
  name?: string;
  /** The blob prepare_deploy wrote; without it the model is encoded here (dialect, longWidth, name). */
  blob?: Uint8Array;
}

/** Evaluates a fixed-point model on the wasm runtime (`runtime`: an instance, or the image's bytes). */
export async function evaluateOnWasmRuntime(runtime: WasmRuntime | Uint8Array, model: CodegenModel, test: TestVectors, options: WasmRuntimeEvaluateOptions = {}): Promise<WasmRuntimeEvaluation> {
  if (model.format === 'float32') throw new RuntimeImageError('the Mote Runtime runs int8 and int16 models only; quantize the model (deploy.quantize = ["int8"]) or use the generated-C route for float32');
  const rt = runtime instanceof Uint8Array ? await instantiateWasmRuntime(runtime) : runtime;
  const graph = model.quantized.graph;
  const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
  const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
  const bytes = options.blob ?? encodeModelBlob(model.quantized, { dialect: options.dialect, longWidth: options.longWidth, name: options.name?.replace(/[^\x20-\x7e]/g, '_').slice(0, 59) }).bytes;
  const loaded = rt.load(bytes);
  const target = decodeOutputs(model, rt.run(encodeInputs(model, test, inputSize)));
  const reference = referenceOutputs(model, test, { longWidth: options.longWidth });
  const compared = compareOutputs(model.format, target, reference, test.labels, test.count, outputSize);
  const rows = sampleRows(model.format, target, reference, test.labels, test.count, outputSize);
  const report: SampleReport = {
    n: compared.n, accuracy: compared.accuracy, reference_accuracy: compared.reference_accuracy,
    agreement: rows.length ? rows.filter((r) => r.predicted === r.referencePredicted).length / rows.length : 0,
    bit_exact: compared.bit_exact === true, mismatched_vectors: rows.filter((r) => !r.bitExact).length,
    counter_kind: 'none', retries: 0, resets: 0, reconnects: 0, rows,
  };
  return {
    ...compared,
    report,
    rom_bytes: bytes.length,
    ram_bytes: loaded.arenaBytes,
    macs: countMacs(graph),
    model_crc: loaded.crc,
    inferences: rt.inferences,
  };
}

/**
 * A runtime-route executor running the board's wasm image in this thread (`kind` 'wasm-thread' in Node;
 * the app's board worker wraps the same function). `image` reads runtime/prebuilt/<file>: from disk in Node,
 * from the precached URL in the browser. Compiled images are kept per file.
 */
export function wasmRuntimeExecutor(kind: TransportKind, image: (file: string) => Promise<Uint8Array>): RuntimeExecutor {
  const modules = new Map<string, Promise<WebAssembly.Module>>();
  const moduleOf = (file: string) => {
    let module = modules.get(file);
    if (!module) {
      module = image(file).then((bytes) => WebAssembly.compile(bytes as BufferSource)).catch((error: unknown) => {
        modules.delete(file);
        if (error instanceof RuntimeImageError) throw error;
        throw new RuntimeImageError(`the Mote Runtime image runtime/prebuilt/${file} could not be loaded: ${(error as Error).message}; rebuild it with node scripts/build-wasm-runtime.mjs`, { cause: error });
      });
      modules.set(file, module);
    }
    return module;
  };
  return {
    kind,
    async evaluate({ board, blob, model, test, longWidth, onProgress }) {
      if (!board.runtime) throw new RuntimeImageError(`${board.kind} declares no Mote Runtime image`);
      const runtime = await instantiateWasmRuntime(await moduleOf(board.runtime.image));
      onProgress?.(0, test.count);
      const evaluation = await evaluateOnWasmRuntime(runtime, model, test, { blob, longWidth, dialect: board.runtime.dialect });
      onProgress?.(test.count, test.count);
      return evaluation;
    },
  };
}
