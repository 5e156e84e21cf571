// The pieces of Mote's model IR that layer definitions are made of. The IR itself (ModelGraph, and the
// Layer union the layer table derives) is models/graph.ts; read its header for the fixed conventions
// (channels_last shapes without the batch dim, weights keyed `<layer>/<role>`, symmetric zero padding).

export type Activation = 'linear' | 'relu' | 'relu6';
export type SpatialDims = 1 | 2;

/** What every layer has, whatever its kind (each kind's folder adds `kind` and its own fields). */
export interface LayerBase {
  /** Unique, C-identifier-safe name (`conv1`, `block0_add`). */
  name: string;
  /** Names of the layers whose outputs feed this one; the graph input is named 'input'. */
  inputs: string[];
}

export interface Tensor {
  shape: number[];
  data: Float32Array;
}
