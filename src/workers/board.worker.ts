// Comlink entry point: the Wasm virtual board's worker, on both routes. Runtime route (converter MoteRuntime,
// the default Run): runs a model blob on the prebuilt Mote Runtime image (runtime/prebuilt/*.wasm, emitted by
// Vite and precached by the service worker, so it works offline from the first load) — the `wasm-worker`
// runtime executor. Generated-C route: compiles firmware with clang compiled to WebAssembly (@yowasp/clang,
// loaded on first use only) — the `wasm` toolchain — and runs the built firmware, serving its UART on a
// MessagePort from the page — the `wasm-worker` transport. The engine (src/core/pipeline/engine.ts) evaluates
// through them; the compiler, the runtime and the board stay off the page.
import * as Comlink from 'comlink';
import type { FirmwareBuildRequest } from '../core/deploy/firmware-build';
import { createWasmToolchain, preloadWasmCompiler, type BuildOutput } from '../core/deploy/toolchain';
import { serveWasmBoard } from '../core/deploy/wasm-board';
import { evaluateOnWasmRuntime, type WasmRuntimeEvaluation } from '../core/deploy/wasm-runtime-board';
import type { CodegenModel } from '../core/codegen/types';
import type { TestVectors } from '../core/deploy/targets/linux-compare';
import type { LongWidth } from '../core/layers/shared/fixed-point';
import type { PortLike } from '../core/evaluation/transport-port';
import { instantiateWasmRuntime, RuntimeImageError } from '../core/runtime/wasm-runtime';

/** The prebuilt runtime images, by file name: URLs of the assets Vite emits (and the service worker precaches). */
const runtimeImageUrls: Record<string, string> = Object.fromEntries(
  Object.entries(import.meta.glob<string>('../../runtime/prebuilt/*.wasm', { query: '?url', import: 'default', eager: true }))
    .map(([path, url]) => [path.slice(path.lastIndexOf('/') + 1), url]),
);
const runtimeModules = new Map<string, Promise<WebAssembly.Module>>();

function runtimeModule(image: string): Promise<WebAssembly.Module> {
  let module = runtimeModules.get(image);
  if (!module) {
    const url = runtimeImageUrls[image];
    if (!url) return Promise.reject(new RuntimeImageError(`the app has no Mote Runtime image '${image}' (it has: ${Object.keys(runtimeImageUrls).join(', ') || 'none'}); this board's runtime route needs a rebuilt app`));
    module = fetch(url).then(async (response) => {
      if (!response.ok) throw new RuntimeImageError(`the Mote Runtime image ${image} could not be fetched (HTTP ${response.status}); reload the app`);
      return WebAssembly.compile(await response.arrayBuffer());
    });
    module.catch(() => runtimeModules.delete(image));
    runtimeModules.set(image, module);
  }
  return module;
}

export interface RuntimeRequest {
  /** File under runtime/prebuilt/ (the board's runtime.image). */
  image: string;
  blob: Uint8Array;
  model: CodegenModel & { format: 'int8' | 'int16' };
  test: TestVectors;
  longWidth?: LongWidth;
}

let controller: AbortController | undefined;
const toolchain = createWasmToolchain();

const api = {
  /** Loads the compiler ahead of a build (its files then stay in the service worker's cache). */
  prepareCompiler: (): Promise<void> => preloadWasmCompiler(),
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

  /** The runtime route: the blob on the board's Mote Runtime image, outputs compared with the integer reference here. */
  async evaluateRuntime(request: RuntimeRequest): Promise<WasmRuntimeEvaluation> {
    const runtime = await instantiateWasmRuntime(await runtimeModule(request.image));
    return evaluateOnWasmRuntime(runtime, request.model, request.test, { blob: request.blob, longWidth: request.longWidth });
  },

  cancel(): void {
    controller?.abort();
  },
};

export type BoardWorkerApi = typeof api;
Comlink.expose(api);
