// Shape facet: what a layer's output looks like, which weights it owns, how much work it is. Read by
// shape inference (models/shapes.ts), which every other stage relies on.

import type { LayerBase } from '../ir';

export interface ShapeRule<L extends LayerBase> {
  /** Inputs the layer reads: 'none' (the graph input only), 'one', or 'several' (two or more). */
  readonly arity: 'none' | 'one' | 'several';
  /** Output shape (batch excluded) from the input shapes. `fail(message)` throws a ModelGraphError
   * that names the layer; say what is wrong and, where it helps, what to change. */
  output(layer: L, inputs: number[][], fail: (message: string) => never): number[];
  /** Weight shapes by role (`kernel`, `bias`, …) given the first input's shape; none if absent. */
  weights?(layer: L, input: readonly number[]): Record<string, number[]>;
  /** Multiply-accumulates of the layer's weight products per inference (Conv, Dense); 0 if absent. */
  macs?(layer: L, inputs: number[][], output: number[]): number;
}
