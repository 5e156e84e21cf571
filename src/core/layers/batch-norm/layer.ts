import type { LayerBase } from '../ir';

/** Batch normalization over the last (channel) axis, PyTorch semantics. gamma, beta, mean, variance [channels]. */
export interface BatchNormLayer extends LayerBase { kind: 'BatchNorm'; epsilon: number; momentum: number }
