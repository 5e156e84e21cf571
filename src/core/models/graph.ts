// ModelGraph: Mote's framework-neutral model IR. The tfjs trainer, the float and integer reference
// interpreters, the quantizer and the C generator all read it, so a layer kind exists once here and once
// per stage table; a stage that meets a kind it lacks says "layer X (Kind) is not supported by <stage>".
//
// Conventions (fixed, part of the persisted format):
// - Shapes exclude the batch dimension and are channels_last: 1-D [steps, channels], 2-D [h, w, channels],
//   flat [features].
// - Weights are float32, keyed `<layer>/<role>`:
//     Conv   kernel [k, cin/groups, filters] (1-D) or [kh, kw, cin/groups, filters] (2-D); bias [filters]
//     Dense  kernel [in, units]; bias [units]
//     BatchNorm gamma, beta, mean, variance [channels]
// - Padding is explicit and symmetric per spatial dim (Qualia/PyTorch semantics), zeros.
// - Pooling windows are 'valid' (no padding), stride defaults to the pool size.
// - Flatten reads channels_last order (row-major over [.., c]).

export const MODEL_GRAPH_FORMAT_VERSION = 1;

export type Activation = 'linear' | 'relu' | 'relu6';
export type SpatialDims = 1 | 2;

interface LayerBase {
  /** Unique, C-identifier-safe name (`conv1`, `block0_add`). */
  name: string;
  /** Names of the layers whose outputs feed this one; the graph input is named 'input'. */
  inputs: string[];
}

export interface InputLayer extends LayerBase { kind: 'Input'; shape: number[] }
export interface ConvLayer extends LayerBase {
  kind: 'Conv';
  dims: SpatialDims;
  filters: number;
  kernel: number[]; // one per spatial dim
  stride: number[];
  padding: number[]; // symmetric zero padding per spatial dim
  groups: number; // 1 = dense conv; = cin and = filters for depthwise
  useBias: boolean;
  activation: Activation; // fused activation (after fusion passes); 'linear' as built
}
export interface DenseLayer extends LayerBase { kind: 'Dense'; units: number; useBias: boolean; activation: Activation }
export interface BatchNormLayer extends LayerBase { kind: 'BatchNorm'; epsilon: number; momentum: number }
export interface ActivationLayer extends LayerBase { kind: 'ReLU' | 'ReLU6' }
export interface PoolLayer extends LayerBase { kind: 'MaxPool' | 'AvgPool'; dims: SpatialDims; pool: number[]; stride: number[] }
export interface GlobalPoolLayer extends LayerBase { kind: 'GlobalPool'; mode: 'max' | 'avg' | 'sum' }
export interface AddLayer extends LayerBase { kind: 'Add'; activation: Activation }
export interface FlattenLayer extends LayerBase { kind: 'Flatten' }
export interface DropoutLayer extends LayerBase { kind: 'Dropout'; rate: number }
export interface SoftmaxLayer extends LayerBase { kind: 'Softmax' }

export type Layer =
  | InputLayer
  | ConvLayer
  | DenseLayer
  | BatchNormLayer
  | ActivationLayer
  | PoolLayer
  | GlobalPoolLayer
  | AddLayer
  | FlattenLayer
  | DropoutLayer
  | SoftmaxLayer;

export type LayerKind = Layer['kind'];

export interface Tensor {
  shape: number[];
  data: Float32Array;
}

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
