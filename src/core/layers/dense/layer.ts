import type { Activation, LayerBase } from '../ir';

/** Fully connected layer over a flat input. Kernel [in, units]; bias [units]. */
export interface DenseLayer extends LayerBase { kind: 'Dense'; units: number; useBias: boolean; activation: Activation }
