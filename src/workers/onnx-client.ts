// The app's ONNX runtime: onnxruntime-web in the onnx worker (started on first use, one per tab), as the
// OnnxRuntime the engine's environment hands to train (src/ui/state/pipeline-environment.ts).
import * as Comlink from 'comlink';
import type { OnnxRuntime } from '../core/models/onnx/runtime';
import type { OnnxWorkerApi } from './onnx.worker';

let remote: Comlink.Remote<OnnxWorkerApi> | undefined;

function onnxWorker(): Comlink.Remote<OnnxWorkerApi> {
  remote ??= Comlink.wrap<OnnxWorkerApi>(new Worker(new URL('./onnx.worker.ts', import.meta.url), { type: 'module', name: 'mote-onnx' }));
  return remote;
}

export const workerOnnxRuntime: OnnxRuntime = {
  run: (model, input, dims) => onnxWorker().run(model, input, [...dims]),
};
