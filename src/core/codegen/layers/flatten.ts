import { table } from '../../base/schema';
import type { LayerEmitter } from '../types';

export const flattenEmitter: LayerEmitter = {
  kind: 'Flatten',
  summary: 'channels_last flatten: the input buffer read as a flat vector (no code, no buffer)',
  params: table({}),
  emit() {
    return { kind: 'alias' };
  },
};
