// Mote's own `MoteRuntime` converter: prepare_deploy writes each fixed-point model as a model blob
// (docs/model-blob.md, src/core/runtime/blob.ts) instead of C, and deploy_and_evaluate runs that blob on the
// board's prebuilt Mote Runtime image (the board declares it: BoardKind.runtime) — no compiler anywhere.
// The kernel layout of the blob is the one the board's image expects, so deploy.optimize has no say here.

import { integer, list, oneOf, optional, relativePath, table, type Infer } from '../base/schema';
import { UnsupportedError } from '../base/errors';
import type { KindInfo } from '../base/kinds';
import type { LongWidth } from '../layers/shared/fixed-point';

const params = table({
  /** Accumulator width, as QualiaCodeGen's: unset, 32 for int8 and 64 for int16 (what the integer reference uses). */
  long_width: optional(integer(undefined, { min: 16, max: 64 })),
  /** Where the blobs go; unset, the board's build folder out/deploy/<Target> (one folder per model, as the firmware). */
  outdir: optional(relativePath()),
  metrics: list(oneOf(['acc'] as const), ['acc']),
});

export type MoteRuntimeParams = Infer<typeof params>;

/** The model blob's file name in each job's folder. */
export const MODEL_BLOB_FILE = 'model.mtb';

export const moteRuntime = {
  kind: 'MoteRuntime',
  summary: "Mote's model blob (model.mtb) for int8 or int16, run by the board's prebuilt Mote Runtime: no compiler needed",
  params,
} satisfies KindInfo<MoteRuntimeParams>;

/** The accumulator width the blob is written with (and the reference checks it against). */
export function runtimeLongWidth(p: MoteRuntimeParams): LongWidth | undefined {
  const longWidth = p.long_width;
  if (longWidth !== undefined && longWidth !== 16 && longWidth !== 32 && longWidth !== 64) throw new UnsupportedError(`deploy.converter.params.long_width = ${longWidth}: use 16, 32 or 64`);
  return longWidth as LongWidth | undefined;
}
