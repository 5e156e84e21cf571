import type { LayerDefinition } from '../definition';
import { relu6Blob } from './blob';
import { relu6C } from './c';
import { relu6Float } from './float';
import { relu6Integer } from './integer';
import type { Relu6Layer } from './layer';
import { relu6Quantize } from './quantize';
import { relu6Shape } from './shape';
import { relu6Onnx } from './onnx';

export const relu6Definition: LayerDefinition<Relu6Layer> = {
  kind: 'ReLU6',
  summary: 'standalone ReLU6 (clamped to [0, 6] in the input format)',
  shape: relu6Shape,
  float: relu6Float,
  tfjs: () => import('./tfjs').then((m) => m.relu6Tfjs),
  quantize: relu6Quantize,
  integer: relu6Integer,
  c: relu6C,
  onnx: relu6Onnx,
  blob: relu6Blob,
  lowering: { foldsAs: 'relu6' },
};
