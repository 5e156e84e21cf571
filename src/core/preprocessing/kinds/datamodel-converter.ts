import { table } from '../../base/schema';
import type { PreprocessingKind } from '../kind';

const params = table({});

/**
 * Qualia converts its HAR "datamodel" (activities → subjects → time series) into arrays here. Mote's dataset
 * kinds already produce arrays, so this step is the identity, kept so Qualia configs run unchanged.
 */
export const DatamodelConverter = {
  kind: 'DatamodelConverter',
  summary: "Accepted for Qualia compatibility: Mote's datasets are already arrays, so the data pass through unchanged",
  params,
  apply: (bundle) => bundle,
} satisfies PreprocessingKind<ReturnType<typeof params.parse>>;
