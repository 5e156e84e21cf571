// tfjs-backend-wasm 4.22 has no kernels for the filter gradient of a convolution nor for either gradient
// of a depthwise convolution, so training any conv model on wasm fails at the first batch. These kernels
// rebuild them from operations wasm does have (strided slices + matMul, i.e. im2col), so that training
// runs on wasm (≈10× faster than the pure-JS cpu backend). tests/training/wasm-gradients.test.ts compares
// them with the cpu backend's own kernels.

import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import { heapKernels, loadHeapKernels, type WasmBackendMemory } from './heap-kernels';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

function sameDilation(dilations: unknown, kernel: string): void {
  const d = dilations === undefined ? [1, 1] : typeof dilations === 'number' ? [dilations, dilations] : (dilations as number[]);
  if (d.some((v) => v !== 1)) throw new Error(`${kernel} on wasm (Mote's kernel) supports dilation 1 only, got [${d.join(', ')}]`);
}

/** Patches of `x` (NHWC) seen by each kernel tap (i, j): kh·kw tensors of shape [N, outH, outW, C]. */
function taps(x: tf.Tensor4D, info: tf.backend_util.Conv2DInfo): tf.Tensor4D[] {
  const { top, bottom, left, right } = info.padInfo;
  const padded = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
  const [n, , , c] = x.shape;
  const out: tf.Tensor4D[] = [];
  for (let i = 0; i < info.filterHeight; i++) {
    for (let j = 0; j < info.filterWidth; j++) {
      out.push(tf.stridedSlice(
        padded,
        [0, i, j, 0],
        [n, i + info.strideHeight * (info.outHeight - 1) + 1, j + info.strideWidth * (info.outWidth - 1) + 1, c],
        [1, info.strideHeight, info.strideWidth, 1],
      ) as tf.Tensor4D);
    }
  }
  return out;
}

/** Wraps a kernel input as a Tensor for ops. The wrapper takes its own reference on the data, so that
 * disposing it (at the end of the kernel's tidy) leaves the caller's tensor intact. */
function asTensor<R extends tf.Rank>(info: TensorInfo): tf.Tensor<R> {
  const engine = tf.engine();
  const tensor = engine.makeTensorFromTensorInfo(info) as tf.Tensor<R>;
  engine.backend.incRef(info.dataId);
  return tensor;
}

/**
 * The filter gradient on wasm. For a first layer on images (one input channel, kernel 3 wide, a multiple of
 * 16 filters) Mote's direct heap kernel (heap-kernels/kernels.c: twelve vector accumulators, no im2col, no
 * matMul operand for XNNPACK to re-pack): Fashion-MNIST CNN conv1, batch 64, ≈ 7 ms → < 1 ms. Otherwise
 * the convolution form below (an im2col + matMul measured the same for conv2: XNNPACK re-packs whichever
 * fresh operand is its "weights", and the im2col pass costs what the transposes do).
 */
function conv2DBackpropFilterWasm(args: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap; backend: unknown }): TensorInfo {
  const { inputs, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number; pad: Pad; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number];
  };
  const backend = args.backend as WasmHeapBackend;
  const heap = heapKernels(backend);
  const xShape = inputs.x!.shape as [number, number, number, number];
  const [kh, kw, c, co] = filterShape;
  if (!heap || dataFormat === 'NCHW' || c !== 1 || kw !== 3 || co % 16 !== 0 || inputs.x!.dtype !== 'float32') return conv2DBackpropFilter(args);
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const [n, h, w] = xShape;
  const dw = backend.makeOutput([...filterShape], 'float32');
  heap.filter_grad_c1k3(offsetOf(backend, inputs.x!), offsetOf(backend, inputs.dy!), offsetOf(backend, dw), n, h, w, kh, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, info.outHeight, info.outWidth, co);
  return dw;
}

function conv2DBackpropFilter({ inputs, attrs }: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap }): TensorInfo {
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number; pad: Pad; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm (Mote\'s kernel) supports NHWC only');
  return tf.tidy(() => {
    const x = asTensor<tf.Rank.R4>(inputs.x!);
    const dy = asTensor<tf.Rank.R4>(inputs.dy!);
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    const { top, bottom, left, right } = info.padInfo;
    // dW[i, j, ci, co] = Σ_{n, oy, ox} xpad[n, oy·s + i, ox·s + j, ci] · dy[n, oy, ox, co]: a convolution of
    // x seen as [ci, H, W, n] with dy seen as a [OH, OW, n, co] filter dilated by the stride. It runs on
    // wasm's fast (XNNPACK) forward convolution; the output is cropped to the kernel size.
    const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D;
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const full = tf.conv2d(xT, dyT, 1, [[0, 0], [top, bottom], [left, right], [0, 0]], 'NHWC', [info.strideHeight, info.strideWidth]);
    const cropped = full.shape[1] === filterShape[0] && full.shape[2] === filterShape[1] ? full : tf.slice(full, [0, 0, 0, 0], [-1, filterShape[0], filterShape[1], -1]);
    return tf.transpose(cropped, [1, 2, 0, 3]);
  });
}

let nativeBackpropInput: KernelConfig['kernelFunc'] | undefined;

/** Inserts stride − 1 zeros between the rows/columns of dy (the gradient of a strided convolution). */
function dilate(dy: tf.Tensor4D, sh: number, sw: number): tf.Tensor4D {
  if (sh === 1 && sw === 1) return dy;
  const [n, h, w, c] = dy.shape;
  const spread = tf.pad(tf.reshape(dy, [n, h, 1, w, 1, c]), [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]]);
  return tf.slice(tf.reshape(spread, [n, h * sh, w * sw, c]), [0, 0, 0, 0], [n, (h - 1) * sh + 1, (w - 1) * sw + 1, c]) as tf.Tensor4D;
}

/**
 * wasm has Conv2DBackpropInput, but as a plain loop ≈10× slower than its XNNPACK forward convolution. The
 * input gradient is the forward convolution of the (stride-dilated) dy with the spatially flipped,
 * in/out-transposed filter; cases that do not fit (padding larger than the kernel) use the original kernel.
 */
function conv2DBackpropInput(args: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap; backend: unknown }): TensorInfo | TensorInfo[] {
  const { inputs, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: [number, number] | number; pad: Pad; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; inputShape: [number, number, number, number];
  };
  const filterShape = inputs.filter!.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  const [kh, kw] = filterShape;
  const effH = (info.outHeight - 1) * info.strideHeight + 1;
  const effW = (info.outWidth - 1) * info.strideWidth + 1;
  const padTop = kh - 1 - info.padInfo.top;
  const padLeft = kw - 1 - info.padInfo.left;
  const padBottom = info.inHeight + info.padInfo.top - effH;
  const padRight = info.inWidth + info.padInfo.left - effW;
  if (dataFormat === 'NCHW' || padTop < 0 || padLeft < 0 || padBottom < 0 || padRight < 0) return nativeBackpropInput!(args as never);
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(inputs.dy!);
    const filter = asTensor<tf.Rank.R4>(inputs.filter!);
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    return tf.conv2d(dilate(dy, info.strideHeight, info.strideWidth), flipped, 1, [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]]);
  });
}

function depthwiseBackpropFilter({ inputs, attrs }: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap }): TensorInfo {
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number; dilations: unknown; pad: Pad; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number];
  };
  sameDilation(dilations, 'DepthwiseConv2dNativeBackpropFilter');
  return tf.tidy(() => {
    const x = asTensor<tf.Rank.R4>(inputs.x!);
    const dy = asTensor<tf.Rank.R4>(inputs.dy!);
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode, true, 'channelsLast');
    const [, , channels, multiplier] = filterShape;
    const rows = info.batchSize * info.outHeight * info.outWidth;
    const grads = tf.reshape(dy, [rows, channels, multiplier]);
    const perTap = taps(x, info).map((patch) => tf.sum(tf.mul(tf.reshape(patch, [rows, channels, 1]), grads), 0));
    return tf.reshape(tf.stack(perTap), filterShape);
  });
}

function depthwiseBackpropInput({ inputs, attrs }: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap }): TensorInfo {
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as {
    strides: [number, number] | number; dilations: unknown; pad: Pad; dimRoundingMode?: 'floor' | 'round' | 'ceil'; inputShape: [number, number, number, number];
  };
  sameDilation(dilations, 'DepthwiseConv2dNativeBackpropInput');
  return tf.tidy(() => {
    const dy = asTensor<tf.Rank.R4>(inputs.dy!);
    const filter = asTensor<tf.Rank.R4>(inputs.filter!);
    const [kh, kw, channels, multiplier] = filter.shape;
    // A depthwise filter is a dense filter that is zero outside its own channel: expand it and reuse the
    // dense input gradient, which wasm has. C× more work, but depthwise layers are the cheap ones.
    const eye = tf.reshape(tf.eye(channels), [1, 1, channels, channels, 1]);
    const dense = tf.reshape(tf.mul(tf.reshape(filter, [kh, kw, channels, 1, multiplier]), eye), [kh, kw, channels, channels * multiplier]) as tf.Tensor4D;
    return tf.conv2dTranspose(dy, dense, inputShape, strides, pad, dimRoundingMode);
  });
}

let nativeBatchMatMul: KernelConfig['kernelFunc'] | undefined;

/**
 * wasm's BatchMatMul with transposeA or transposeB (what the gradients of matMul ask for) runs ≈ 6× slower
 * than a plain one plus an explicit transpose (Dense layer of the Fashion-MNIST CNN, [64, 1568] × [1568, 64]:
 * 6.3 ms vs 1.1 ms), so transposed operands are transposed first.
 */
function batchMatMul(args: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap; backend: unknown }): TensorInfo | TensorInfo[] {
  const { inputs, attrs } = args;
  const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
  if (!transposeA && !transposeB) return nativeBatchMatMul!(args as never);
  return tf.tidy(() => {
    const a = asTensor(inputs.a!);
    const b = asTensor(inputs.b!);
    // Swaps the last two axes (operands may have any rank ≥ 2).
    const swap = (t: tf.Tensor): tf.Tensor => tf.transpose(t, [...t.shape.keys()].map((i) => (i < t.rank - 2 ? i : 2 * t.rank - 3 - i)));
    return tf.matMul(transposeA ? swap(a) : a, transposeB ? swap(b) : b);
  });
}

let nativeMaxPoolGrad: KernelConfig['kernelFunc'] | undefined;

/**
 * wasm's MaxPoolGrad is a plain loop. For the pools Qualia's models use (window = stride, no padding) the
 * gradient goes to the first maximum of each window in row-major order, as tfjs-cpu and PyTorch route it:
 * the first maximum of each window gets dy, computed in one pass over the wasm heap.
 * Other pools use the original kernel.
 */
function maxPoolGrad(args: { inputs: NamedTensorInfoMap; attrs?: NamedAttrMap; backend: unknown }): TensorInfo | TensorInfo[] {
  const { inputs, attrs } = args;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as { filterSize: [number, number] | number; strides: [number, number] | number; pad: Pad; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
  const xShape = inputs.input!.shape as [number, number, number, number];
  const info = tf.backend_util.computePool2DInfo(xShape, filterSize, strides, 1, pad as never, dimRoundingMode);
  const { filterHeight: kh, filterWidth: kw, strideHeight, strideWidth, outHeight: oh, outWidth: ow } = info;
  const { top, bottom, left, right } = info.padInfo;
  if (strideHeight !== kh || strideWidth !== kw || top || bottom || left || right) return nativeMaxPoolGrad!(args as never);
  // One pass in plain TypeScript over the wasm heap (the tensor-op version — transposes, argMax, oneHot,
  // mul — took ≈ 8 ms per call on the Fashion-MNIST CNN): each dy value goes to the first maximum of its
  // window, every other input position gets 0.
  const backend = args.backend as WasmHeapBackend;
  const [, h, w, c] = xShape;
  const n = xShape[0];
  const output = backend.makeOutput([...xShape], 'float32');
  const heap = heapKernels(backend);
  if (heap) {
    heap.max_pool_grad(offsetOf(backend, inputs.input!), offsetOf(backend, inputs.dy!), offsetOf(backend, output), n, h, w, c, kh, kw, oh, ow);
    return output;
  }
  // Views after the allocation: makeOutput may grow (and so detach) the heap.
  const x = backend.typedArrayFromHeap(inputs.input!) as Float32Array;
  const dy = backend.typedArrayFromHeap(inputs.dy!) as Float32Array;
  const dx = backend.typedArrayFromHeap(output) as Float32Array;
  dx.fill(0);
  const rowStride = w * c;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      for (let ox = 0; ox < ow; ox++) {
        const dyBase = ((b * oh + oy) * ow + ox) * c;
        const xBase = ((b * h + oy * kh) * w + ox * kw) * c;
        if (kh === 2 && kw === 2) {
          // The common pool, unrolled (row-major order: the first maximum wins ties).
          for (let ch = 0; ch < c; ch++) {
            const a = xBase + ch;
            let best = a;
            let bestValue = x[a];
            const v01 = x[a + c];
            if (v01 > bestValue) { best = a + c; bestValue = v01; }
            const v10 = x[a + rowStride];
            if (v10 > bestValue) { best = a + rowStride; bestValue = v10; }
            if (x[a + rowStride + c] > bestValue) best = a + rowStride + c;
            dx[best] = dy[dyBase + ch];
          }
          continue;
        }
        for (let ch = 0; ch < c; ch++) {
          let best = xBase + ch;
          let bestValue = x[best];
          for (let i = 0; i < kh; i++) {
            for (let j = 0; j < kw; j++) {
              const at = xBase + i * rowStride + j * c + ch;
              const value = x[at];
              if (value > bestValue) { best = at; bestValue = value; }
            }
          }
          dx[best] = dy[dyBase + ch];
        }
      }
    }
  }
  return output;
}

/** The part of tfjs-backend-wasm's BackendWasm that the heap kernels use. */
interface WasmHeapBackend extends WasmBackendMemory {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  getMemoryOffset(dataId: object): number;
}

function offsetOf(backend: WasmHeapBackend, info: TensorInfo): number {
  return backend.getMemoryOffset(info.dataId);
}

/**
 * Per-channel moments over every axis but the last, in one pass: inputs x and shift ([c]), optionally dy;
 * output [2, c]: the means of (x − shift) and (x − shift)², or with dy the means of dy and dy·(x − shift).
 * BatchNorm's training forward and gradient use it (layers/batch-norm/tfjs.ts) where it is registered.
 */
function channelMoments(args: { inputs: NamedTensorInfoMap; backend: unknown }): TensorInfo {
  const { x, shift, dy } = args.inputs;
  const backend = args.backend as WasmHeapBackend;
  const heap = heapKernels(backend)!;
  const c = x!.shape[x!.shape.length - 1];
  const out = backend.makeOutput([2, c], 'float32');
  const scratch = backend.makeOutput([6 * c + 2], 'float32');
  // Doubles need 8-byte alignment; tfjs-wasm's malloc gives at least that.
  heap.channel_moments(offsetOf(backend, x!), dy ? offsetOf(backend, dy) : 0, offsetOf(backend, shift!), x!.shape.reduce((a, b) => a * b, 1) / c, c, offsetOf(backend, out), offsetOf(backend, scratch));
  (backend as unknown as { disposeData(id: object): void }).disposeData(scratch.dataId);
  return out;
}

/** out = a·x + k per channel (inputs x, a, k: [c]), or with y and b: a·x + b·y + k, in one pass. */
function channelAffine(args: { inputs: NamedTensorInfoMap; backend: unknown }): TensorInfo {
  const { x, y, a, b, k } = args.inputs;
  const backend = args.backend as WasmHeapBackend;
  const heap = heapKernels(backend)!;
  const c = x!.shape[x!.shape.length - 1];
  const out = backend.makeOutput([...x!.shape], 'float32');
  heap.channel_affine(offsetOf(backend, x!), y ? offsetOf(backend, y) : 0, offsetOf(backend, out), x!.shape.reduce((s, v) => s * v, 1) / c, c, offsetOf(backend, a!), y ? offsetOf(backend, b!) : 0, offsetOf(backend, k!));
  return out;
}

/**
 * Loads Mote's heap kernels on the active wasm backend (call after tf.setBackend('wasm')) and registers the
 * kernels that exist only with them. Returns what was registered, or why the heap kernels are not used.
 */
export async function registerHeapKernels(): Promise<string> {
  const backend = tf.findBackend('wasm') as unknown as WasmHeapBackend | null;
  if (!backend) return 'heap kernels: no wasm backend';
  const loaded = await loadHeapKernels(backend);
  if (typeof loaded === 'string') return `heap kernels not used: ${loaded}`;
  for (const [kernelName, kernelFunc] of [['MoteChannelMoments', channelMoments], ['MoteChannelAffine', channelAffine]] as const) {
    if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as KernelConfig['kernelFunc'] });
  }
  return 'heap kernels (first-layer filter gradient, MaxPoolGrad, BatchNorm moments and affine)';
}

const kernels: Record<string, KernelConfig['kernelFunc']> = {
  Conv2DBackpropFilter: conv2DBackpropFilterWasm as KernelConfig['kernelFunc'],
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter as KernelConfig['kernelFunc'],
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput as KernelConfig['kernelFunc'],
};

const originals = new Map<string, KernelConfig>();

function override(kernelName: string, backendName: string, kernelFunc: KernelConfig['kernelFunc']): boolean {
  const current = tf.getKernel(kernelName, backendName);
  if (current?.kernelFunc === kernelFunc) return false;
  if (current) {
    originals.set(`${backendName}/${kernelName}`, current as KernelConfig);
    tf.unregisterKernel(kernelName, backendName);
  }
  // Keep the original setup (on wasm it binds the function a fallback calls).
  tf.registerKernel({ kernelName, backendName, kernelFunc, setupFunc: current?.setupFunc });
  return true;
}

/**
 * Registers Mote's gradient kernels: on wasm the three it lacks plus a fast Conv2DBackpropInput (the
 * original stays as fallback); on cpu a fast Conv2DBackpropFilter (tfjs-cpu's own is a plain loop ≈50×
 * slower than its forward convolution). Idempotent; returns the names (re)registered.
 */
export function registerMissingGradientKernels(backendName = 'wasm'): string[] {
  const added: string[] = [];
  if (backendName === 'wasm') {
    for (const [kernelName, kernelFunc] of Object.entries(kernels)) {
      if (tf.getKernel(kernelName, backendName)) continue;
      tf.registerKernel({ kernelName, backendName, kernelFunc });
      added.push(kernelName);
    }
    const native = tf.getKernel('Conv2DBackpropInput', backendName);
    if (native && native.kernelFunc !== (conv2DBackpropInput as unknown)) {
      nativeBackpropInput = native.kernelFunc;
      override('Conv2DBackpropInput', backendName, conv2DBackpropInput as KernelConfig['kernelFunc']);
      added.push('Conv2DBackpropInput (fast path)');
    }
    const nativeMatMul = tf.getKernel('BatchMatMul', backendName);
    if (nativeMatMul && nativeMatMul.kernelFunc !== (batchMatMul as unknown)) {
      nativeBatchMatMul = nativeMatMul.kernelFunc;
      override('BatchMatMul', backendName, batchMatMul as KernelConfig['kernelFunc']);
      added.push('BatchMatMul (transposes first)');
    }
    const nativePool = tf.getKernel('MaxPoolGrad', backendName);
    if (nativePool && nativePool.kernelFunc !== (maxPoolGrad as unknown)) {
      nativeMaxPoolGrad = nativePool.kernelFunc;
      override('MaxPoolGrad', backendName, maxPoolGrad as KernelConfig['kernelFunc']);
      added.push('MaxPoolGrad (fast path)');
    }
  } else if (backendName === 'cpu') {
    if (override('Conv2DBackpropFilter', backendName, conv2DBackpropFilter as KernelConfig['kernelFunc'])) added.push('Conv2DBackpropFilter (fast path)');
  }
  return added;
}

/** Runs `fn` with tfjs' own kernels of `backendName` (tests compare Mote's kernels with them). */
export function withOriginalKernels<T>(backendName: string, fn: () => T): T {
  const replaced: [string, KernelConfig][] = [];
  for (const [key, original] of originals) {
    const [backend, kernelName] = key.split('/');
    if (backend !== backendName) continue;
    const mine = tf.getKernel(kernelName, backendName);
    if (!mine) continue;
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel(original);
    replaced.push([kernelName, mine as KernelConfig]);
  }
  try {
    return fn();
  } finally {
    for (const [kernelName, mine] of replaced) {
      tf.unregisterKernel(kernelName, backendName);
      tf.registerKernel(mine);
    }
  }
}

/** Kernels that training needs; `missingTrainingKernels('webgpu')` tells whether a backend can train. */
export const TRAINING_KERNELS = [
  'Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput', 'MaxPool', 'MaxPoolGrad', 'AvgPool', 'AvgPoolGrad', 'BatchMatMul', 'Relu', 'Relu6',
  'PadV2', 'StridedSlice', 'Sum', 'Max', 'Exp', 'Log', 'Sqrt', 'Mean',
] as const;

export function missingTrainingKernels(backendName: string): string[] {
  return TRAINING_KERNELS.filter((name) => !tf.getKernel(name, backendName));
}
