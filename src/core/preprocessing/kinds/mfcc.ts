import { ConfigError } from '../../base/errors';
import { integer, table } from '../../base/schema';
import { makeSet, setsOf } from '../../data/bundle';
import type { PreprocessingKind } from '../kind';
import { mfccBatch } from '../mfcc-frontend';
import { mfccShape, toMfccConfig } from './mfcc-params';

const params = table({ ...mfccShape, chunks: integer(4, { min: 1 }) });

/**
 * MFCC features computed once at preprocess time (torchaudio semantics, see mfcc-frontend.ts). `chunks`
 * only bounds memory in Qualia; Mote works sample by sample, so it is accepted and has no effect.
 */
export const MFCC = {
  kind: 'MFCC',
  summary: 'MFCC of audio samples [steps, channels] with torchaudio parameters (sample_rate, n_mfcc, log_mels, melkwargs …); dims 1 → [frames, n_mfcc], dims 2 → [n_mfcc, frames, 1]',
  params,
  apply(bundle, p, ctx) {
    const config = toMfccConfig(p);
    const out = { ...bundle };
    for (const [name, set] of setsOf(bundle)) {
      try {
        const result = mfccBatch(set.x, set.count, set.shape, config, p.dims);
        out[name] = makeSet(result.x, result.shape, set.labels);
      } catch (error) {
        throw new ConfigError(`${ctx.where}: ${(error as Error).message} (${name} set)`, { cause: error });
      }
    }
    return out;
  },
} satisfies PreprocessingKind<ReturnType<typeof params.parse>>;
