// Spatial geometry shared by the convolution and pooling emitters: 1-D layers are 2-D with height 1.

import type { Layer } from '../../models/graph';

export function asImage(shape: readonly number[]): [number, number, number] {
  return shape.length === 2 ? [1, shape[0], shape[1]] : shape.length === 3 ? [shape[0], shape[1], shape[2]] : [1, 1, shape[0]];
}

/** [height, width] of a per-dim parameter (kernel, stride, padding, pool) of a 1-D or 2-D layer. */
export function pair(layer: Layer & { dims: 1 | 2 }, values: number[], oneDimFill: number): [number, number] {
  return layer.dims === 2 ? [values[0], values[1]] : [oneDimFill, values[0]];
}
