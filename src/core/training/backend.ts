// Picks the tfjs backend training runs on: WebGPU when an adapter exists, else WASM (SIMD; threads only on
// cross-origin-isolated pages, because minified builds break tfjs' pthread workers — platform-notes §1b),
// else the pure-JS CPU backend. Every backend must be able to train: a backend that lacks a gradient
// kernel (wasm before `registerMissingGradientKernels`) or fails a tiny conv training step is skipped
// with a message, and the next one is tried.
//
// WebGPU in a worker: never read a GPU tensor synchronously (dataSync/arraySync). tfjs-webgpu reads
// synchronously by drawing WebGPU-configured OffscreenCanvases into a 2D canvas; in a Chromium worker
// (156, SwiftShader) that invalidates the page's WebGPU instance, and the next asynchronous read fails
// much later with "Failed to execute 'mapAsync' on 'GPUBuffer': A valid external Instance reference no
// longer exists". The main thread is not affected. guardSynchronousReads turns such a read into an
// immediate error that names the cause.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core alone registers no gradient functions; training needs all of them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { MoteError } from '../base/errors';
import { missingTrainingKernels, registerHeapKernels, registerMissingGradientKernels } from './wasm-gradients';

export type BackendName = 'webgpu' | 'wasm' | 'cpu';

export interface BackendOptions {
  /** Try this backend first (e.g. from the UI or `--backend`); the others remain fallbacks. */
  preferred?: BackendName;
  /** Only try these, in this order (default webgpu, wasm, cpu). */
  order?: BackendName[];
  /**
   * Use tfjs-wasm's threaded binary (only possible on cross-origin-isolated pages). Off by default: in a
   * minified production build tfjs' pthread workers fail with "e is not defined" and training hangs
   * (platform-notes §1b, tensorflow/tfjs#4107), and on 2-core machines it has 1 thread anyway.
   */
  wasmThreads?: boolean;
  /** Where the browser finds tfjs-backend-wasm's .wasm files (`setWasmPaths` argument); not needed in Node. */
  wasmPaths?: string | Record<string, string>;
  /** Log of what was tried and why a backend was skipped. */
  onMessage?: (message: string) => void;
}

export interface BackendInfo {
  name: BackendName;
  /** Human-readable details: SIMD/threads for wasm, adapter for webgpu, fallbacks taken. */
  details: string;
  messages: string[];
}

export class BackendError extends MoteError {}

let active: BackendInfo | undefined;
let wasmLoaded = false;

async function loadWasm(wasmPaths: BackendOptions['wasmPaths'], threads: boolean): Promise<void> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // Threads only where SharedArrayBuffer works and when asked for (see BackendOptions.wasmThreads). The
  // flag exists once the module registered it and is read when the backend initialises.
  if (!isolated || !threads) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (wasmPaths && !wasmLoaded) wasm.setWasmPaths(wasmPaths as never);
  wasmLoaded = true;
}

async function loadWebGpu(allowSoftware: boolean): Promise<string> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) throw new Error('this environment has no navigator.gpu');
  const adapter = (await gpu.requestAdapter()) as { isFallbackAdapter?: boolean; info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean } } | null;
  if (!adapter) throw new Error('navigator.gpu.requestAdapter() returned no adapter');
  const info = adapter.info;
  const name = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'adapter';
  // A software adapter (SwiftShader) trains ~17× slower than wasm (platform-notes §1b): use it only on request.
  const software = adapter.isFallbackAdapter === true || info?.isFallbackAdapter === true || /swiftshader/i.test(name);
  if (software && !allowSoftware) throw new Error(`the WebGPU adapter is a software renderer (${name}), slower than wasm; choose webgpu explicitly to use it anyway`);
  await import('@tensorflow/tfjs-backend-webgpu');
  return software ? `${name} (software)` : name;
}

/** True in a dedicated/shared/service worker (browsers only have WebGPU; workers have no document). */
function inWorker(): boolean {
  const scope = globalThis as { WorkerGlobalScope?: abstract new () => unknown; document?: unknown };
  return typeof scope.WorkerGlobalScope === 'function' && globalThis instanceof scope.WorkerGlobalScope && scope.document === undefined;
}

/** The part of tfjs-webgpu's WebGPUBackend that the guard touches (tensorMap holds CPU-side `values` when cached). */
interface WebGpuBackendInternals {
  readSync(dataId: object): unknown;
  tensorMap?: { get(dataId: object): { values?: unknown } | undefined };
}

const guardedBackends = new WeakSet<object>();

/** See the header: refuse synchronous reads of GPU-resident data on WebGPU in a worker. */
function guardSynchronousReads(): void {
  if (!inWorker()) return;
  const backend = tf.findBackend('webgpu') as unknown as WebGpuBackendInternals | null;
  if (!backend || guardedBackends.has(backend)) return;
  const readSync = backend.readSync.bind(backend);
  backend.readSync = (dataId: object) => {
    // Data already on the CPU (fresh uploads, earlier reads) is returned without touching the GPU.
    if (backend.tensorMap?.get(dataId)?.values != null) return readSync(dataId);
    throw new BackendError('a synchronous read (dataSync/arraySync/bufferSync) of a WebGPU tensor in a worker: in Chromium it destroys the WebGPU instance, and later reads fail with "A valid external Instance reference no longer exists"; read with `await tensor.data()` instead (see src/core/training/backend.ts)');
  };
  guardedBackends.add(backend);
}

/** One conv + dense training step with gradients, to prove the backend can train (kernels exist and run). */
async function smokeTest(): Promise<void> {
  const gradient = tf.tidy(() => {
    const x = tf.tensor4d(Array.from({ length: 2 * 5 * 5 * 2 }, (_, i) => (i % 7) / 7), [2, 5, 5, 2]);
    const filter = tf.variable(tf.mul(tf.ones([3, 3, 2, 3]), 0.1), true, `mote_smoke_${Math.random().toString(36).slice(2)}`);
    const depthwise = tf.mul(tf.ones([3, 3, 3, 1]), 0.1);
    const grads = tf.variableGrads(() => {
      const y = tf.conv2d(x, filter as tf.Tensor4D, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]);
      const z = tf.depthwiseConv2d(tf.relu(y), depthwise as tf.Tensor4D, 1, 'same');
      return tf.sum(tf.maxPool(z, 2, 2, 'valid'));
    }, [filter]);
    filter.dispose();
    return grads.grads[filter.name];
  });
  // Asynchronous read: WebGPU has no cheap synchronous download.
  const values = await gradient.data();
  gradient.dispose();
  if (!values.every(Number.isFinite)) throw new Error('a test gradient is not finite');
}

async function tryBackend(name: BackendName, options: BackendOptions, messages: string[]): Promise<string | undefined> {
  try {
    let details = '';
    if (name === 'webgpu') details = await loadWebGpu(options.preferred === 'webgpu' || options.order?.[0] === 'webgpu');
    if (name === 'wasm') {
      await loadWasm(options.wasmPaths, options.wasmThreads === true);
      const added = registerMissingGradientKernels('wasm');
      if (added.length) details = `Mote gradient kernels: ${added.join(', ')}`;
    }
    if (name === 'cpu') {
      const added = registerMissingGradientKernels('cpu');
      if (added.length) details = `Mote gradient kernels: ${added.join(', ')}`;
    }
    if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
    await tf.ready();
    if (name === 'webgpu') guardSynchronousReads();
    if (name === 'wasm') details = [details, await registerHeapKernels()].filter(Boolean).join('; ');
    const missing = missingTrainingKernels(name);
    if (missing.length) throw new Error(`missing kernels ${missing.join(', ')}`);
    await smokeTest();
    if (name === 'wasm') {
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      details = [`SIMD ${simd ? 'on' : 'off'}`, `threads ${threads ? 'on' : 'off'}`, details].filter(Boolean).join(', ');
    }
    return details;
  } catch (error) {
    messages.push(`backend ${name} cannot train here: ${(error as Error).message}`);
    options.onMessage?.(messages[messages.length - 1]);
    return undefined;
  }
}

/** Selects (once per options) and returns the backend in use. */
export async function selectBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const base: BackendName[] = options.order ?? ['webgpu', 'wasm', 'cpu'];
  const order = options.preferred ? [options.preferred, ...base.filter((name) => name !== options.preferred)] : [...base];
  if (active && active.name === order[0] && tf.getBackend() === active.name) return active;
  const messages: string[] = [];
  for (const name of order) {
    if (name === 'webgpu' && !(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) {
      messages.push('backend webgpu skipped: no navigator.gpu');
      options.onMessage?.(messages[messages.length - 1]);
      continue;
    }
    const details = await tryBackend(name, options, messages);
    if (details !== undefined) {
      active = { name, details, messages };
      return active;
    }
  }
  throw new BackendError(`no tfjs backend can train here (tried ${order.join(', ')}):\n  ${messages.join('\n  ')}`);
}

export function currentBackend(): BackendInfo | undefined {
  return active;
}
