import type { KindInfo } from '../base/kinds';
import type { Rng } from '../base/rng';
import type { DataBundle } from '../data/bundle';

export interface PreprocessContext {
  /** Seeded generator for this step (forked per step from bench.seed). */
  rng: Rng;
  /** Where this step sits, for messages: `preprocessing[2] (Window)`. */
  where: string;
}

/** A [[preprocessing]] kind: runs once at preprocess_data time, on the whole bundle. */
export interface PreprocessingKind<P = any> extends KindInfo<P> {
  apply(bundle: DataBundle, params: P, ctx: PreprocessContext): DataBundle;
}
