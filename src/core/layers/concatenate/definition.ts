import type { LayerDefinition } from '../definition';
import { concatenateBlob } from './blob';
import { concatenateC } from './c';
import { concatenateFloat } from './float';
import { concatenateInteger } from './integer';
import type { ConcatenateLayer } from './layer';
import { concatenateQuantize } from './quantize';
import { concatenateShape } from './shape';
import { concatenateOnnx } from './onnx';

export const concatenateDefinition: LayerDefinition<ConcatenateLayer> = {
  kind: 'Concatenate',
  summary: 'joins two or more tensors along the channels (last axis); fixed point rescales each input to the calibrated output format',
  shape: concatenateShape,
  float: concatenateFloat,
  tfjs: () => import('./tfjs').then((m) => m.concatenateTfjs),
  quantize: concatenateQuantize,
  integer: concatenateInteger,
  c: concatenateC,
  onnx: concatenateOnnx,
  blob: concatenateBlob,
};
