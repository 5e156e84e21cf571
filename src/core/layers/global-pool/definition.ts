import type { LayerDefinition } from '../definition';
import { globalPoolBlob } from './blob';
import { globalPoolC } from './c';
import { globalPoolFloat } from './float';
import { globalPoolInteger } from './integer';
import type { GlobalPoolLayer } from './layer';
import { globalPoolQuantize } from './quantize';
import { globalPoolShape } from './shape';
import { globalPoolOnnx } from './onnx';

export const globalPoolDefinition: LayerDefinition<GlobalPoolLayer> = {
  kind: 'GlobalPool',
  summary: 'global max/avg/sum pooling over every spatial position, per channel',
  shape: globalPoolShape,
  float: globalPoolFloat,
  tfjs: () => import('./tfjs').then((m) => m.globalPoolTfjs),
  quantize: globalPoolQuantize,
  integer: globalPoolInteger,
  c: globalPoolC,
  onnx: globalPoolOnnx,
  blob: globalPoolBlob,
};
