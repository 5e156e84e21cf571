// Node's ONNX runtime: onnxruntime-web's own Node entry (the same wasm backend the app runs in its worker,
// loaded from the package folder), imported on first use because its wasm is large.
import { onnxRuntimeFrom, type OnnxRuntime } from './runtime';

let loaded: Promise<OnnxRuntime> | undefined;

export const nodeOnnxRuntime: OnnxRuntime = {
  async run(model, input, dims) {
    loaded ??= import('onnxruntime-web').then((ort) => onnxRuntimeFrom(ort));
    return (await loaded).run(model, input, dims);
  },
};
