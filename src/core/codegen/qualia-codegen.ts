// Qualia's `QualiaCodeGen` converter: deploy.converter.params and their mapping onto generator options.
// `deploy.optimize = 'cmsis-nn'` selects Mote's cortex-m dialect (same integers through SMLAD/SSAT);
// '' selects portable C99.

import { boolean, cIdentifier, integer, list, oneOf, optional, relativePath, table, type Infer } from '../base/schema';
import { UnsupportedError } from '../base/errors';
import type { KindInfo } from '../base/kinds';
import type { LongWidth } from '../layers/shared/fixed-point';
import type { CodegenOptions, Dialect } from './types';

const params = table({
  /** Accumulator width; Qualia defaults to 16 for int8 and 32 otherwise, Mote to 32 for int8 and 64 for int16 (no wrap-around in practice). */
  long_width: optional(integer(undefined, { min: 16, max: 64 })),
  outdir: relativePath('out/qualia_codegen'),
  metrics: list(oneOf(['acc', 'corr', 'mae', 'mape', 'mse', 'slope'] as const), ['acc']),
  model_name: cIdentifier('cnn'),
  dump_featuremaps: boolean(false),
  /** SNN plugin's QualiaCodeGen (spiking models, which Mote does not build): accepted so such configs load. */
  timestep_mode: optional(oneOf(['duplicate', 'iterate'] as const)),
});

export type QualiaCodeGenParams = Infer<typeof params>;

export const qualiaCodeGen = {
  kind: 'QualiaCodeGen',
  summary: 'C code (model.c/model.h, ABI v1) for float32, int16 or int8: portable C99 or Cortex-M DSP',
  params,
} satisfies KindInfo<QualiaCodeGenParams>;

export function dialectForOptimize(optimize: string): Dialect {
  if (optimize === '') return 'c99';
  if (optimize === 'cmsis-nn') return 'cortex-m';
  throw new UnsupportedError(`deploy.optimize = '${optimize}' is not supported by QualiaCodeGen in Mote; use '' (portable C) or 'cmsis-nn' (Cortex-M4/M7 DSP intrinsics)`);
}

/** Generator options from the converter params (and the deploy.optimize entry). */
export function codegenOptions(p: QualiaCodeGenParams, optimize = ''): CodegenOptions {
  if (p.dump_featuremaps) throw new UnsupportedError(`deploy.converter.params.dump_featuremaps = true is not supported by Mote's C generator; remove it (Mote's reference interpreter gives every layer's output instead)`);
  const longWidth = p.long_width;
  if (longWidth !== undefined && longWidth !== 16 && longWidth !== 32 && longWidth !== 64) throw new UnsupportedError(`deploy.converter.params.long_width = ${longWidth}: use 16, 32 or 64`);
  // Unset: the generator and the reference pick defaultLongWidth(bits) (32 for int8, 64 for int16).
  return { longWidth: longWidth as LongWidth | undefined, entry: p.model_name, dialect: dialectForOptimize(optimize) };
}
