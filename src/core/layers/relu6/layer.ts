import type { LayerBase } from '../ir';

/** A standalone ReLU6 (lowering folds one that follows a Conv, Dense or Add into that layer). */
export interface Relu6Layer extends LayerBase { kind: 'ReLU6' }
