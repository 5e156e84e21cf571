// Shape arithmetic several layer kinds share: sizes, 'valid'/padded windows, and the 2-D view every stage
// takes of 1-D layers (height 1), which keeps channels_last order.

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Output length of a convolution or pooling window along one dim (PyTorch floor semantics). */
export function windowOutput(size: number, window: number, stride: number, padding: number): number {
  return Math.floor((size + 2 * padding - window) / stride) + 1;
}

/** A channels_last shape as [h, w, c]: 1-D layers are h = 1, flat vectors h = w = 1. */
export function asImage(shape: readonly number[]): [number, number, number] {
  return shape.length === 2 ? [1, shape[0], shape[1]] : shape.length === 3 ? [shape[0], shape[1], shape[2]] : [1, 1, shape[0]];
}

/** [height, width] of a per-dim parameter (kernel, stride, padding, pool) of a 1-D or 2-D layer. */
export function pair(layer: { dims: 1 | 2 }, values: readonly number[], oneDimFill: number): [number, number] {
  return layer.dims === 2 ? [values[0], values[1]] : [oneDimFill, values[0]];
}

/** Checks a 1-D/2-D layer's input rank and its per-dim parameter lists (`padding` may be 0, others ≥ 1). */
export function checkSpatial(layer: { dims: 1 | 2 }, input: readonly number[], lists: Record<string, number[]>, fail: (message: string) => never): void {
  if (input.length !== layer.dims + 1) {
    fail(`a ${layer.dims}-D layer needs an input of rank ${layer.dims + 1} ([${layer.dims === 1 ? 'steps' : 'h, w'}, channels]), got ${shapeText(input)}`);
  }
  for (const [key, values] of Object.entries(lists)) {
    if (values.length !== layer.dims) fail(`${key} must have ${layer.dims} entr${layer.dims === 1 ? 'y' : 'ies'}, got ${shapeText(values)}`);
    if (values.some((v) => !Number.isInteger(v) || v < (key === 'padding' ? 0 : 1))) fail(`${key} must hold ${key === 'padding' ? 'non-negative' : 'positive'} integers, got ${shapeText(values)}`);
  }
}
