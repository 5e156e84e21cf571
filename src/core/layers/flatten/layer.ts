import type { LayerBase } from '../ir';

/** Reads its input in channels_last order (row-major over [.., c]) as a flat vector. */
export interface FlattenLayer extends LayerBase { kind: 'Flatten' }
