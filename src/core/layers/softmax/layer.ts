import type { LayerBase } from '../ir';

/** Softmax over a flat vector (a classifier's last layer). */
export interface SoftmaxLayer extends LayerBase { kind: 'Softmax' }
