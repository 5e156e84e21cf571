import type { LayerBase } from '../ir';
import type { PoolWindow } from '../shared/pool-window';

/** MaxPool1D/2D over 'valid' windows (no padding); stride defaults to the pool size when built. */
export interface MaxPoolLayer extends LayerBase, PoolWindow { kind: 'MaxPool' }
