import type { LayerDefinition } from '../definition';
import { flattenBlob } from './blob';
import { flattenC } from './c';
import { flattenFloat } from './float';
import { flattenInteger } from './integer';
import type { FlattenLayer } from './layer';
import { flattenQuantize } from './quantize';
import { flattenShape } from './shape';
import { flattenOnnx } from './onnx';

export const flattenDefinition: LayerDefinition<FlattenLayer> = {
  kind: 'Flatten',
  summary: 'channels_last flatten: the input buffer read as a flat vector (no code, no buffer)',
  shape: flattenShape,
  float: flattenFloat,
  tfjs: () => import('./tfjs').then((m) => m.flattenTfjs),
  quantize: flattenQuantize,
  integer: flattenInteger,
  c: flattenC,
  onnx: flattenOnnx,
  blob: flattenBlob,
};
