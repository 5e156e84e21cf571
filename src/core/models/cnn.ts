import { ConfigError } from '../base/errors';
import { type Infer, boolean, integer, list, number, oneOrList, optional, table, union } from '../base/schema';
import { GraphBuilder, type ModelKind, resolveShapes } from './builder';
import { channelCount, shapeDimension, spatialSize, windowSize } from './size-params';

/** An int, or one int per spatial dim (PyTorch accepts both for 2-D layers). */
const spatial = union<number | number[]>([spatialSize(), list(spatialSize())]);

const params = table({
  filters: list(channelCount()),
  kernel_sizes: list(spatial),
  paddings: list(spatial),
  strides: list(spatial),
  dropouts: oneOrList(number(undefined, { min: 0, max: 1 })),
  pool_sizes: list(spatial),
  fc_units: list(channelCount()),
  separables: optional(list(boolean())),
  batch_norm: boolean(false),
  prepool: union<number | number[]>([windowSize(1), list(windowSize())], 1),
  postpool: union<number | number[]>([windowSize(1), list(windowSize())], 1),
  gsp: boolean(false),
  dims: integer(1, { min: 1, max: 2 }),
  input_shape: optional(list(shapeDimension())),
  output_shape: optional(list(shapeDimension())),
});

export type CnnParams = Infer<typeof params>;

function product(value: number | number[]): number {
  return Array.isArray(value) ? value.reduce((a, b) => a * b, 1) : value;
}

function isZero(value: number | number[]): boolean {
  return Array.isArray(value) ? value.every((v) => v === 0) : value === 0;
}

/**
 * Qualia's `CNN`: per conv layer i, Conv (or depthwise k×k + pointwise 1×1 when separables[i]) → BatchNorm
 * if batch_norm → ReLU → Dropout if > 0 → MaxPool if pool_sizes[i] > 0; AvgPool prepool/postpool when > 1;
 * then either gsp (1×1 conv to the classes + global sum pool) or Flatten → (Linear → ReLU → Dropout) per
 * fc_units → Linear. Like Python's zip, the per-layer lists are read up to the shortest one.
 */
export const cnn: ModelKind<CnnParams> = {
  kind: 'CNN',
  summary: 'Convolutional network: conv → BN → ReLU → dropout → max-pool blocks, then fully connected layers or a global sum pool',
  params,
  build(p, inputShape, outputClasses, name, options = {}) {
    const { input, classes } = resolveShapes(p, inputShape, outputClasses);
    const dims = p.dims as 1 | 2;
    if (input.length !== dims + 1) {
      throw new ConfigError(`model '${name}' (CNN): dims = ${dims} needs an input of rank ${dims + 1} (${dims === 1 ? '[steps, channels]' : '[height, width, channels]'}), got [${input.join(', ')}]; set params.dims or check the dataset`);
    }
    const dropouts = Array.isArray(p.dropouts) ? p.dropouts : Array(p.filters.length + p.fc_units.length).fill(p.dropouts);
    const separables = p.separables ?? Array(p.filters.length).fill(false);
    const count = Math.min(p.filters.length, p.kernel_sizes.length, p.pool_sizes.length, p.paddings.length, p.strides.length, dropouts.length, separables.length);
    if (count === 0) throw new ConfigError(`model '${name}' (CNN): filters, kernel_sizes, pool_sizes, paddings, strides and dropouts need at least one entry each`);
    const g = new GraphBuilder(name, input, options.rng);
    const useBias = !p.batch_norm;
    if (product(p.prepool) > 1) g.pool('AvgPool', 'prepool', dims, p.prepool);
    let i = 1;
    let channels = input[input.length - 1];
    for (let l = 0; l < count; l++, i++) {
      const filters = p.filters[l];
      if (separables[l]) {
        g.conv(`conv${i}_dw`, { dims, filters: channels, kernel: p.kernel_sizes[l], padding: p.paddings[l], stride: p.strides[l], groups: channels, useBias });
        // Qualia sizes this BatchNorm with the layer's filters; PyTorch only runs it when they equal the input channels.
        if (p.batch_norm) g.batchNorm(`bn${i}_dw`);
        g.relu(`relu${i}_dw`);
        g.conv(`conv${i}_pw`, { dims, filters, kernel: 1, useBias });
        if (p.batch_norm) g.batchNorm(`bn${i}_pw`);
        g.relu(`relu${i}_pw`);
      } else {
        g.conv(`conv${i}`, { dims, filters, kernel: p.kernel_sizes[l], padding: p.paddings[l], stride: p.strides[l], useBias });
        if (p.batch_norm) g.batchNorm(`bn${i}`);
        g.relu(`relu${i}`);
      }
      if (dropouts[l]) g.dropout(`dropout${i}`, dropouts[l]);
      if (!isZero(p.pool_sizes[l])) g.pool('MaxPool', `maxpool${i}`, dims, p.pool_sizes[l]);
      channels = filters;
    }
    if (product(p.postpool) > 1) g.pool('AvgPool', 'postpool', dims, p.postpool);
    if (p.gsp) {
      g.conv(`conv${i}`, { dims, filters: classes, kernel: 1, useBias: true });
      g.globalPool('gsp', 'sum');
      return g.finish();
    }
    const fcDropouts = dropouts.slice(p.filters.length);
    if (fcDropouts.length < p.fc_units.length) {
      throw new ConfigError(`model '${name}' (CNN): dropouts has ${dropouts.length} entries but needs one per conv layer and one per fc_units entry (${p.filters.length} + ${p.fc_units.length}); Qualia would drop the fully connected layers without one`);
    }
    g.flatten('flatten');
    let j = 1;
    for (let u = 0; u < p.fc_units.length; u++, i++, j++) {
      g.dense(`fc${j}`, p.fc_units[u]);
      g.relu(`relu${i}`);
      const rate = fcDropouts[u];
      if (rate) g.dropout(`dropout${i}`, rate);
    }
    g.dense(`fc${j}`, classes);
    return g.finish();
  },
};
