// Comlink entry point: the Wasm virtual board's worker. Compiles firmware with clang compiled to
// WebAssembly (@yowasp/clang, loaded on first use) — the `wasm` toolchain of the app's environment — and
// runs the built firmware, serving its UART on a MessagePort from the page — the `wasm-worker` transport.
// The engine (src/core/pipeline/engine.ts) evaluates over that port; the compiler and board stay off the page.
import * as Comlink from 'comlink';
import type { FirmwareBuildRequest } from '../core/deploy/firmware-build';
import { createWasmToolchain, type BuildOutput } from '../core/deploy/toolchain';
import { serveWasmBoard } from '../core/deploy/wasm-board';
import type { PortLike } from '../core/evaluation/transport-port';

let controller: AbortController | undefined;
const toolchain = createWasmToolchain();

const api = {
  async build(request: FirmwareBuildRequest): Promise<BuildOutput> {
    controller = new AbortController();
    try {
      const output = await toolchain.build(request, { signal: controller.signal });
      return Comlink.transfer(output, Object.values(output.files).map((bytes) => bytes.buffer as ArrayBuffer));
    } finally {
      controller = undefined;
    }
  },

  /** Runs `wasm` and serves its UART on `port` until the page closes its end. */
  async serve(port: MessagePort, wasm: Uint8Array): Promise<void> {
    await serveWasmBoard(port as unknown as PortLike, wasm);
  },

  cancel(): void {
    controller?.abort();
  },
};

export type BoardWorkerApi = typeof api;
Comlink.expose(api);
