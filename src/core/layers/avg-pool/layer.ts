import type { LayerBase } from '../ir';
import type { PoolWindow } from '../shared/pool-window';

/** AvgPool1D/2D over 'valid' windows (no padding); stride defaults to the pool size when built. */
export interface AvgPoolLayer extends LayerBase, PoolWindow { kind: 'AvgPool' }
