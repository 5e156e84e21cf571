// MFCC parameters shared by the [[preprocessing]] and [[data_augmentation]] MFCC kinds (torchaudio names).

import { boolean, integer, number, oneOf, optional, table } from '../../base/schema';
import type { MfccConfig } from '../mfcc-frontend';

export const melkwargsSchema = table({
  n_fft: integer(400, { min: 2 }),
  win_length: optional(integer(undefined, { min: 1 })),
  hop_length: optional(integer(undefined, { min: 1 })),
  f_min: number(0, { min: 0 }),
  f_max: optional(number(undefined, { min: 0 })),
  pad: integer(0, { min: 0 }),
  n_mels: integer(128, { min: 1 }),
  power: number(2, { min: 0 }),
  center: boolean(true),
});

export const mfccShape = {
  sample_rate: integer(undefined, { min: 1 }),
  n_mfcc: integer(undefined, { min: 1 }),
  dct_type: integer(2, { min: 2, max: 2 }),
  norm: oneOf(['ortho', 'none'] as const, 'ortho'),
  log_mels: boolean(false),
  melkwargs: melkwargsSchema,
  dims: integer(1, { min: 1, max: 2 }),
};

export function toMfccConfig(p: { sample_rate: number; n_mfcc: number; dct_type: number; norm: 'ortho' | 'none'; log_mels: boolean; melkwargs: ReturnType<typeof melkwargsSchema.parse> }): MfccConfig {
  return { sample_rate: p.sample_rate, n_mfcc: p.n_mfcc, dct_type: p.dct_type, norm: p.norm, log_mels: p.log_mels, melkwargs: { ...p.melkwargs } };
}
