// Mote's wasm training kernels (kernels.c, built by scripts/build-heap-kernels.mjs into kernels-wasm.ts),
// instantiated on the memory of the running tfjs wasm backend: they take tensors' heap offsets and work in
// place, with no copies. Not available on tfjs-wasm's threaded binary (its memory is shared, and tfjs'
// own threads would race with nothing to stop them), nor where the backend's memory cannot be reached;
// callers then keep their tfjs-op versions.

import { HEAP_KERNELS_WASM_BASE64 } from './kernels-wasm';

type Ptr = number;

export interface HeapKernels {
  /** dy = 0: means of (x − shift) and (x − shift)²; else means of dy and dy·(x − shift); out [2, c], scratch 6·c floats. */
  channel_moments(x: Ptr, dy: Ptr, shift: Ptr, pixels: number, c: number, out: Ptr, scratch: Ptr): void;
  /** out = a·x + k, or with y (≠ 0): a·x + b·y + k, per channel. */
  channel_affine(x: Ptr, y: Ptr, out: Ptr, pixels: number, c: number, a: Ptr, b: Ptr, k: Ptr): void;
  filter_grad_c1k3(x: Ptr, dy: Ptr, dw: Ptr, n: number, h: number, w: number, kh: number, sh: number, sw: number, top: number, left: number, oh: number, ow: number, co: number): void;
  max_pool_grad(x: Ptr, dy: Ptr, dx: Ptr, n: number, h: number, w: number, c: number, kh: number, kw: number, oh: number, ow: number): void;
}

/** The part of tfjs-backend-wasm's BackendWasm the kernels use. */
export interface WasmBackendMemory {
  wasm: { asm?: { memory?: WebAssembly.Memory } };
}

let loaded: { memory: WebAssembly.Memory; kernels: HeapKernels } | undefined;

function decode(base64: string): Uint8Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/**
 * Instantiates the kernels on `backend`'s memory (once per memory). Returns a reason instead when they cannot
 * run there.
 */
export async function loadHeapKernels(backend: WasmBackendMemory): Promise<HeapKernels | string> {
  const memory = backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) return 'the tfjs wasm backend does not expose its memory';
  if (typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer) return 'tfjs runs its threaded wasm binary (shared memory)';
  if (loaded?.memory === memory) return loaded.kernels;
  const module = await WebAssembly.compile(decode(HEAP_KERNELS_WASM_BASE64) as BufferSource);
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  loaded = { memory, kernels: instance.exports as unknown as HeapKernels };
  return loaded.kernels;
}

/** The kernels instantiated on the current tfjs wasm backend's memory, if any. */
export function heapKernels(backend: WasmBackendMemory): HeapKernels | undefined {
  return loaded && backend.wasm?.asm?.memory === loaded.memory ? loaded.kernels : undefined;
}
