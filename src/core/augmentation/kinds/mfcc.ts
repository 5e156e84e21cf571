import { table } from '../../base/schema';
import { mfccBatch } from '../../preprocessing/mfcc-frontend';
import { mfccShape, toMfccConfig } from '../../preprocessing/kinds/mfcc-params';
import type { AugmentationKind } from '../kind';
import { commonParams } from '../kind';

const params = table({ ...commonParams, ...mfccShape });

/** MFCC computed per batch (usually evaluate = true so the target gets MFCC vectors too); same front end as [[preprocessing]] MFCC. */
export const MFCC = {
  kind: 'MFCC',
  summary: 'MFCC of each audio batch with torchaudio parameters (same front end as the MFCC preprocessing)',
  params,
  apply(batch, p) {
    const result = mfccBatch(batch.x, batch.count, batch.shape, toMfccConfig(p), p.dims);
    return { ...batch, x: result.x, shape: result.shape };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
