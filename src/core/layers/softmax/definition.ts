import type { LayerDefinition } from '../definition';
import { softmaxC } from './c';
import { softmaxFloat } from './float';
import type { SoftmaxLayer } from './layer';
import { softmaxShape } from './shape';
import { softmaxOnnx } from './onnx';

const noFixedPoint = 'a Softmax in an int8/int16 model has no fixed-point kernel in Mote; remove it (the predicted class is unchanged) or deploy with quantize = [\'float32\']';

export const softmaxDefinition: LayerDefinition<SoftmaxLayer> = {
  kind: 'Softmax',
  summary: 'softmax over a flat vector (float32 models; uses expf from <math.h>)',
  shape: softmaxShape,
  float: softmaxFloat,
  tfjs: () => import('./tfjs').then((m) => m.softmaxTfjs),
  c: softmaxC,
  onnx: softmaxOnnx,
  normalizesLogits: true,
  unsupported: { quantize: noFixedPoint, integer: noFixedPoint, blob: noFixedPoint },
};
