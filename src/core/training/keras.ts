import { table } from '../base/schema';
import type { KindInfo } from '../base/kinds';

/** Qualia's `Keras` learning framework: no params, no data augmentation; also trained with tfjs. */
export const keras: KindInfo<Record<string, never>> = {
  kind: 'Keras',
  summary: 'Qualia\'s Keras framework (no params), trained with tfjs',
  params: table({}) as never,
};

