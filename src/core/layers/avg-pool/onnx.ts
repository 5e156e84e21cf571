import type { OnnxFacet } from '../facets/onnx';
import { exportPool, importPool, POOL_ATTRIBUTES } from '../shared/pool-onnx';
import type { AvgPoolLayer } from './layer';

export const avgPoolOnnx: OnnxFacet<AvgPoolLayer> = {
  export: (layer, ctx) => exportPool(layer, 'AveragePool', ctx),
  imports: { AveragePool: POOL_ATTRIBUTES },
  import(ctx) {
    return { layer: { kind: 'AvgPool', ...importPool(ctx) }, inputs: [0] };
  },
};
