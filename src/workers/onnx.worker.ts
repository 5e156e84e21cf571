// Comlink entry point of the onnx worker: onnxruntime-web (wasm backend, single-threaded) runs the float
// model train writes as ONNX, so that the app checks Mote's float semantics with the same runtime the CLI
// uses (src/core/pipeline/onnx-reference.ts). Its .wasm is the file Vite emits from the package (and the
// service worker precaches): nothing is fetched from a CDN. The UI reaches it through ./onnx-client.ts.
//
// API: run(model, input, dims) → Float32Array   the model's single output for `input` of `dims`
//                                               (channels-first, batch first), as onnxruntime-web returns it.
import * as Comlink from 'comlink';
import * as ort from 'onnxruntime-web/wasm';
import ortWasm from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { onnxRuntimeFrom } from '../core/models/onnx/runtime';

ort.env.wasm.wasmPaths = { wasm: new URL(ortWasm, self.location.href).href };
const runtime = onnxRuntimeFrom(ort);

const api = {
  async run(model: Uint8Array, input: Float32Array, dims: number[]): Promise<Float32Array> {
    const output = await runtime.run(model, input, dims);
    return Comlink.transfer(output, [output.buffer as ArrayBuffer]);
  },
};

export type OnnxWorkerApi = typeof api;
Comlink.expose(api);
