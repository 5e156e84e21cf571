import type { Schema } from './schema';

/**
 * What every pluggable kind declares, whatever its area: Qualia's `kind` name, a one-line summary for
 * completion and docs, and the schema of its `params` table (closed: an unknown parameter is an error,
 * as a Python constructor would raise TypeError). Areas extend this with their own behaviour.
 */
export interface KindInfo<P = unknown> {
  readonly kind: string;
  readonly summary: string;
  readonly params: Schema<P>;
}

/** Areas of a Qualia config that name kinds, as they appear in the TOML. */
export type KindArea =
  | 'learningframework'
  | 'dataset'
  | 'preprocessing'
  | 'data_augmentation'
  | 'model'
  | 'postprocessing'
  | 'converter'
  | 'target'
  | 'experimenttracking'
  | 'optimizer'
  | 'scheduler';
