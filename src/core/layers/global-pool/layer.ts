import type { LayerBase } from '../ir';

/** Max, average or sum over every spatial position, per channel ([.., c] → [c]). */
export interface GlobalPoolLayer extends LayerBase { kind: 'GlobalPool'; mode: 'max' | 'avg' | 'sum' }
