import type { LayerDefinition } from '../definition';
import { convBlob } from './blob';
import { convC } from './c';
import { convFloat } from './float';
import { convInteger } from './integer';
import type { ConvLayer } from './layer';
import { convQuantize } from './quantize';
import { convShape } from './shape';
import { convOnnx } from './onnx';

export const convDefinition: LayerDefinition<ConvLayer> = {
  kind: 'Conv',
  summary: 'Conv1D/Conv2D, channels_last, symmetric zero padding, stride, groups (depthwise), fused ReLU/ReLU6',
  shape: convShape,
  float: convFloat,
  tfjs: () => import('./tfjs').then((m) => m.convTfjs),
  quantize: convQuantize,
  integer: convInteger,
  c: convC,
  onnx: convOnnx,
  blob: convBlob,
  lowering: { fusesActivation: true },
};
