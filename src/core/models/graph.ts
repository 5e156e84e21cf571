// ModelGraph: Mote's framework-neutral model IR. The tfjs trainer, the float and integer reference
// interpreters, the quantizer and the C generator all read it. Its layer kinds are the layer table's
// (layers/table.ts): each kind's type and behaviour live in its folder, layers/<kind>/, and the Layer union
// is derived from the table; a stage that meets a kind it lacks says "layer X (Kind) is not supported by <stage>".
//
// Conventions (fixed, part of the persisted format):
// - Shapes exclude the batch dimension and are channels_last: 1-D [steps, channels], 2-D [h, w, channels],
//   flat [features].
// - Weights are float32, keyed `<layer>/<role>` (each kind documents its roles in layers/<kind>/layer.ts):
//     Conv   kernel [k, cin/groups, filters] (1-D) or [kh, kw, cin/groups, filters] (2-D); bias [filters]
//     Dense  kernel [in, units]; bias [units]
//     BatchNorm gamma, beta, mean, variance [channels]
// - Padding is explicit and symmetric per spatial dim (Qualia/PyTorch semantics), zeros.
// - Pooling windows are 'valid' (no padding), stride defaults to the pool size.
// - Flatten reads channels_last order (row-major over [.., c]).

import type { Layer } from '../layers/table';
import type { Tensor } from '../layers/ir';

export const MODEL_GRAPH_FORMAT_VERSION = 1;

export type { Activation, SpatialDims, Tensor } from '../layers/ir';
export type { Layer, LayerKind } from '../layers/table';

export interface ModelGraph {
  formatVersion: typeof MODEL_GRAPH_FORMAT_VERSION;
  /** Qualia-style model name, e.g. `uci-har_resnetv1_8_r0` is built from `name` + run suffixes elsewhere. */
  name: string;
  /** Layers in topological order; the first is the Input layer, the last produces the output. */
  layers: Layer[];
  /** Output shape of every layer, by name (filled by shape inference). */
  shapes: Record<string, number[]>;
  weights: Record<string, Tensor>;
}
