import type { Activation, LayerBase, SpatialDims } from '../ir';

/** Conv1D/Conv2D. Kernel [k, cin/groups, filters] (1-D) or [kh, kw, cin/groups, filters] (2-D); bias [filters]. */
export interface ConvLayer extends LayerBase {
  kind: 'Conv';
  dims: SpatialDims;
  filters: number;
  kernel: number[]; // one per spatial dim
  stride: number[];
  padding: number[]; // symmetric zero padding per spatial dim
  groups: number; // 1 = dense conv; = cin and = filters for depthwise
  useBias: boolean;
  activation: Activation; // fused activation (after fusion passes); 'linear' as built
}
