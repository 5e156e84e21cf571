import type { LayerDefinition } from '../definition';
import { addBlob } from './blob';
import { addC } from './c';
import { addFloat } from './float';
import { addInteger } from './integer';
import type { AddLayer } from './layer';
import { addQuantize } from './quantize';
import { addShape } from './shape';
import { addOnnx } from './onnx';

export const addDefinition: LayerDefinition<AddLayer> = {
  kind: 'Add',
  summary: 'element-wise sum of two or more tensors (inputs aligned to the finest format), fused ReLU/ReLU6',
  shape: addShape,
  float: addFloat,
  tfjs: () => import('./tfjs').then((m) => m.addTfjs),
  quantize: addQuantize,
  integer: addInteger,
  c: addC,
  onnx: addOnnx,
  blob: addBlob,
  lowering: { fusesActivation: true },
};
