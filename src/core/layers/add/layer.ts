import type { Activation, LayerBase } from '../ir';

/** Element-wise sum of two or more tensors of one shape, with a fused activation. */
export interface AddLayer extends LayerBase { kind: 'Add'; activation: Activation }
