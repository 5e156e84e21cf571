import type { LayerDefinition } from '../definition';
import { maxPoolBlob } from './blob';
import { maxPoolC } from './c';
import { maxPoolFloat } from './float';
import { maxPoolInteger } from './integer';
import type { MaxPoolLayer } from './layer';
import { maxPoolQuantize } from './quantize';
import { maxPoolShape } from './shape';
import { maxPoolOnnx } from './onnx';

export const maxPoolDefinition: LayerDefinition<MaxPoolLayer> = {
  kind: 'MaxPool',
  summary: 'MaxPool1D/2D, valid windows; output keeps the input format',
  shape: maxPoolShape,
  float: maxPoolFloat,
  tfjs: () => import('./tfjs').then((m) => m.maxPoolTfjs),
  quantize: maxPoolQuantize,
  integer: maxPoolInteger,
  c: maxPoolC,
  onnx: maxPoolOnnx,
  blob: maxPoolBlob,
};
