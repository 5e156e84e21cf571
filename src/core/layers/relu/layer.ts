import type { LayerBase } from '../ir';

/** A standalone ReLU (lowering folds one that follows a Conv, Dense or Add into that layer). */
export interface ReluLayer extends LayerBase { kind: 'ReLU' }
