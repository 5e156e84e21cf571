import type { LayerBase } from '../ir';

/** The graph input: always the first layer (and the only one of its kind); the caller's buffer in C. */
export interface InputLayer extends LayerBase { kind: 'Input'; shape: number[] }

/** The graph input is structural: every stage feeds it from outside (a batch, a tensor, an input buffer). */
export function isInputLayer(layer: { kind: string }): layer is InputLayer {
  return layer.kind === 'Input';
}
