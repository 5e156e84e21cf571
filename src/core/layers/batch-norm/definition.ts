import type { LayerDefinition } from '../definition';
import { batchNormBlob } from './blob';
import { batchNormC } from './c';
import { batchNormFloat } from './float';
import { batchNormInteger } from './integer';
import type { BatchNormLayer } from './layer';
import { batchNormQuantize } from './quantize';
import { batchNormShape } from './shape';
import { batchNormOnnx } from './onnx';

export const batchNormDefinition: LayerDefinition<BatchNormLayer> = {
  kind: 'BatchNorm',
  summary: 'batch normalization (unfused: a per-channel affine, kernel γ/√(σ²+ε), bias β−γμ/√(σ²+ε))',
  shape: batchNormShape,
  float: batchNormFloat,
  tfjs: () => import('./tfjs').then((m) => m.batchNormTfjs),
  quantize: batchNormQuantize,
  integer: batchNormInteger,
  c: batchNormC,
  onnx: batchNormOnnx,
  blob: batchNormBlob,
};
