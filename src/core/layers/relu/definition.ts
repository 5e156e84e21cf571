import type { LayerDefinition } from '../definition';
import { reluBlob } from './blob';
import { reluC } from './c';
import { reluFloat } from './float';
import { reluInteger } from './integer';
import type { ReluLayer } from './layer';
import { reluQuantize } from './quantize';
import { reluShape } from './shape';
import { reluOnnx } from './onnx';

export const reluDefinition: LayerDefinition<ReluLayer> = {
  kind: 'ReLU',
  summary: 'standalone ReLU (one not folded into a Conv/Dense/Add, e.g. after a MaxPool)',
  shape: reluShape,
  float: reluFloat,
  tfjs: () => import('./tfjs').then((m) => m.reluTfjs),
  quantize: reluQuantize,
  integer: reluInteger,
  c: reluC,
  onnx: reluOnnx,
  blob: reluBlob,
  lowering: { foldsAs: 'relu' },
};
