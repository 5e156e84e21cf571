import type { LayerBase } from '../ir';

/**
 * Joins two or more tensors along the channels (the last axis, channels_last: Keras' Concatenate(axis=-1),
 * PyTorch's torch.cat(dim=1) on NCHW), in the order of `inputs`. Every other dim must agree; flat inputs
 * ([features]) join end to end. No weights.
 */
export interface ConcatenateLayer extends LayerBase { kind: 'Concatenate' }
