import type { LayerKind } from '../../models/graph';
import type { LayerEmitter } from '../types';
import { addEmitter } from './add';
import { avgPoolEmitter } from './avg-pool';
import { batchNormEmitter } from './batchnorm';
import { convEmitter } from './conv';
import { denseEmitter } from './dense';
import { flattenEmitter } from './flatten';
import { globalPoolEmitter } from './global-pool';
import { maxPoolEmitter } from './max-pool';
import { reluEmitter } from './relu';
import { relu6Emitter } from './relu6';
import { softmaxEmitter } from './softmax';

/** Every layer kind the C generator emits, one file each. Input is the caller's buffer; Dropout is lowered away. */
export const layerEmitters = {
  Conv: convEmitter,
  Dense: denseEmitter,
  BatchNorm: batchNormEmitter,
  MaxPool: maxPoolEmitter,
  AvgPool: avgPoolEmitter,
  GlobalPool: globalPoolEmitter,
  Add: addEmitter,
  ReLU: reluEmitter,
  ReLU6: relu6Emitter,
  Flatten: flattenEmitter,
  Softmax: softmaxEmitter,
} satisfies Partial<Record<LayerKind, LayerEmitter>>;
