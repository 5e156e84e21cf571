import type { OnnxFacet } from '../facets/onnx';
import { exportPool, importPool, POOL_ATTRIBUTES } from '../shared/pool-onnx';
import type { MaxPoolLayer } from './layer';

export const maxPoolOnnx: OnnxFacet<MaxPoolLayer> = {
  export: (layer, ctx) => exportPool(layer, 'MaxPool', ctx),
  imports: { MaxPool: POOL_ATTRIBUTES },
  import(ctx) {
    return { layer: { kind: 'MaxPool', ...importPool(ctx) }, inputs: [0] };
  },
};
