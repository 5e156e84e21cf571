import type { LayerDefinition } from '../definition';
import { denseBlob } from './blob';
import { denseC } from './c';
import { denseFloat } from './float';
import { denseInteger } from './integer';
import type { DenseLayer } from './layer';
import { denseQuantize } from './quantize';
import { denseShape } from './shape';
import { denseOnnx } from './onnx';

export const denseDefinition: LayerDefinition<DenseLayer> = {
  kind: 'Dense',
  summary: 'fully connected layer over a flat input, fused ReLU/ReLU6',
  shape: denseShape,
  float: denseFloat,
  tfjs: () => import('./tfjs').then((m) => m.denseTfjs),
  quantize: denseQuantize,
  integer: denseInteger,
  c: denseC,
  onnx: denseOnnx,
  blob: denseBlob,
  lowering: { fusesActivation: true },
};
