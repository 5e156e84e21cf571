import { boolean, table } from '../../base/schema';
import { ConfigError } from '../../base/errors';
import type { AugmentationKind } from '../kind';
import { commonParams } from '../kind';

const params = table({ ...commonParams, scale: boolean(false) });

/**
 * Casts integer samples to float32 (Mote's batches are already float32, so without `scale` this is the
 * identity); with `scale`, divides by the maximum of the dataset's integer type (255 for uint8 pixels).
 * Usually set with evaluate = true so the target sees the same scaling.
 */
export const IntToFloat32 = {
  kind: 'IntToFloat32',
  summary: 'Casts integer samples to float32; scale = true divides by the integer type maximum (255 for uint8)',
  params,
  apply(batch, p) {
    if (!p.scale) return batch;
    if (batch.sourceDtype !== 'uint8') throw new ConfigError(`IntToFloat32: scale = true needs integer samples, but this dataset stores ${batch.sourceDtype ?? 'float32'} values; load it with params.dtype = 'uint8' or remove 'scale'`);
    const x = new Float32Array(batch.x.length);
    for (let i = 0; i < x.length; i++) x[i] = batch.x[i] / 255;
    return { ...batch, x, sourceDtype: 'float32' };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
