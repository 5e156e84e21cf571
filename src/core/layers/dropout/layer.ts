import type { LayerBase } from '../ir';

/** Zeroes inputs with probability `rate` in training (scaling the rest by 1/(1 − rate)); the identity otherwise. */
export interface DropoutLayer extends LayerBase { kind: 'Dropout'; rate: number }
