// The ONNX form MaxPool and AvgPool share: Mote's windows are 'valid' (no padding, floor), so an imported
// pool must have zero pads and ceil_mode 0.

import { checkPlainWindow, intsAttr, padsToPadding, type OnnxExportContext, type OnnxImportContext } from '../facets/onnx';
import type { PoolWindow } from './pool-window';

export const POOL_ATTRIBUTES = ['kernel_shape', 'strides', 'pads', 'ceil_mode', 'auto_pad', 'dilations', 'count_include_pad', 'storage_order'] as const;

export function exportPool(layer: PoolWindow, op: 'MaxPool' | 'AveragePool', ctx: OnnxExportContext): void {
  ctx.node(op, [ctx.inputs[0]], { kernel_shape: intsAttr(layer.pool), strides: intsAttr(layer.stride) });
}

export function importPool(ctx: OnnxImportContext): PoolWindow {
  const x = ctx.value(0);
  const dims = x.shape.length - 1;
  if (dims !== 1 && dims !== 2) ctx.fail(`Mote pools 1-D and 2-D inputs; this one has ${dims} spatial dims`);
  const pool = ctx.ints('kernel_shape', []);
  if (pool.length !== dims) ctx.fail(`kernel_shape [${pool.join(', ')}] must have ${dims} entries`);
  checkPlainWindow(ctx, dims);
  if (padsToPadding(ctx, dims).some((p) => p !== 0)) ctx.fail('padded pooling is not supported; Mote pools over valid windows only');
  if (ctx.int('ceil_mode', 0) !== 0) ctx.fail('ceil_mode = 1 is not supported; Mote rounds window counts down');
  if (ctx.int('storage_order', 0) !== 0) ctx.fail('storage_order = 1 is not supported');
  return { dims: dims as 1 | 2, pool, stride: ctx.ints('strides', Array(dims).fill(1)) };
}
