import type { LayerDefinition } from '../definition';
import { dropoutFloat } from './float';
import type { DropoutLayer } from './layer';
import { dropoutShape } from './shape';
import { dropoutOnnx } from './onnx';

const lowered = 'deployment lowering (lowerForDeployment) removes it; pass the lowered graph';

export const dropoutDefinition: LayerDefinition<DropoutLayer> = {
  kind: 'Dropout',
  summary: 'dropout in training, the identity at inference (removed before quantization and code generation)',
  shape: dropoutShape,
  float: dropoutFloat,
  tfjs: () => import('./tfjs').then((m) => m.dropoutTfjs),
  onnx: dropoutOnnx,
  lowering: { removed: true },
  unsupported: { quantize: lowered, integer: lowered, c: lowered },
};
