// The app's handle on the Wasm virtual board worker (one per tab, started on first use): the `wasm`
// toolchain and the `wasm-worker` transport of the browser's board environment (generated-C route), and its
// `wasm-worker` runtime executor (runtime route: the prebuilt Mote Runtime image, no compiler).
import * as Comlink from 'comlink';
import type { Toolchain } from '../core/deploy/toolchain';
import { wasmWorkerConnector } from '../core/deploy/wasm-board';
import type { RuntimeExecutor, StreamConnector } from '../core/deploy/environment';
import type { PortLike } from '../core/evaluation/transport-port';
import type { BoardWorkerApi } from './board.worker';

let remote: Comlink.Remote<BoardWorkerApi> | undefined;

function boardWorker(): Comlink.Remote<BoardWorkerApi> {
  if (!remote) remote = Comlink.wrap<BoardWorkerApi>(new Worker(new URL('./board.worker.ts', import.meta.url), { type: 'module', name: 'mote-wasm-board' }));
  return remote;
}

/** Fetches the board worker's compiler now rather than at the first build. */
export function prepareWasmCompiler(): Promise<void> {
  return boardWorker().prepareCompiler();
}

/** clang (wasm32) in the board worker. */
export const workerWasmToolchain: Toolchain = {
  kind: 'wasm',
  async build(request, options) {
    const worker = boardWorker();
    const onAbort = () => void worker.cancel();
    options?.signal?.addEventListener('abort', onAbort);
    try {
      return await worker.build(request);
    } finally {
      options?.signal?.removeEventListener('abort', onAbort);
    }
  },
};

/** The firmware run by the board worker, reached over a MessagePort. */
export const workerWasmConnector: StreamConnector = wasmWorkerConnector({
  channel() {
    const channel = new MessageChannel();
    return { board: channel.port1 as unknown as PortLike, page: channel.port2 as unknown as PortLike };
  },
  async serve(port, wasm) {
    await boardWorker().serve(Comlink.transfer(port as unknown as MessagePort, [port as unknown as MessagePort]), wasm);
  },
});

/** The runtime route in the board worker: the blob run by the board's prebuilt Mote Runtime image. */
export const workerWasmRuntime: RuntimeExecutor = {
  kind: 'wasm-worker',
  async evaluate({ board, blob, model, test, longWidth, onProgress }) {
    if (!board.runtime) throw new Error(`${board.kind} declares no Mote Runtime image`);
    onProgress?.(0, test.count);
    const evaluation = await boardWorker().evaluateRuntime({ image: board.runtime.image, blob, model, test: { x: test.x, labels: test.labels, count: test.count }, longWidth });
    onProgress?.(test.count, test.count);
    return evaluation;
  },
};
