import type { LayerDefinition } from '../definition';
import { avgPoolBlob } from './blob';
import { avgPoolC } from './c';
import { avgPoolFloat } from './float';
import { avgPoolInteger } from './integer';
import type { AvgPoolLayer } from './layer';
import { avgPoolQuantize } from './quantize';
import { avgPoolShape } from './shape';
import { avgPoolOnnx } from './onnx';

export const avgPoolDefinition: LayerDefinition<AvgPoolLayer> = {
  kind: 'AvgPool',
  summary: 'AvgPool1D/2D, valid windows; fixed point divides the exact sum with truncation toward zero (Qualia)',
  shape: avgPoolShape,
  float: avgPoolFloat,
  tfjs: () => import('./tfjs').then((m) => m.avgPoolTfjs),
  quantize: avgPoolQuantize,
  integer: avgPoolInteger,
  c: avgPoolC,
  onnx: avgPoolOnnx,
  blob: avgPoolBlob,
};
