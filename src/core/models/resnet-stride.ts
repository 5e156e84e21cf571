import { ConfigError } from '../base/errors';
import { type Infer, boolean, integer, list, number, oneOf, optional, table } from '../base/schema';
import { GraphBuilder, type ModelKind, resolveShapes } from './builder';
import { addHead, qualiaFeatureMap } from './resnet';
import { blockCount, channelCount, paddingSize, shapeDimension, windowSize } from './size-params';

const params = table({
  filters: list(channelCount(), undefined, { minLength: 1 }),
  kernel_sizes: list(windowSize()),
  pool_sizes: list(windowSize()),
  num_blocks: list(blockCount()),
  strides: list(windowSize()),
  paddings: list(paddingSize()),
  prepool: windowSize(1),
  postpool: oneOf(['max', 'avg', 'sum'] as const, 'max'),
  batch_norm: boolean(false),
  bn_momentum: number(0.1, { min: 0, max: 1 }),
  force_projection_with_pooling: boolean(false),
  dims: integer(1, { min: 1, max: 2 }),
  input_shape: optional(list(shapeDimension())),
  output_shape: optional(list(shapeDimension())),
});

export type ResNetStrideParams = Infer<typeof params>;

/**
 * Qualia's `ResNetStride`: like ResNet but `strides` are real conv strides (first conv of a block and its
 * 1×1 shortcut) and `pool_sizes` are the max pools; postpool = 'sum' ends with a 1×1 conv to the classes,
 * ReLU and a global sum pool instead of the Linear head.
 */
export const resnetStride: ModelKind<ResNetStrideParams> = {
  kind: 'ResNetStride',
  summary: 'Residual network with strided convolutions and separate max-pool sizes (Qualia ResNetStride)',
  params,
  build(p, inputShape, outputClasses, name, options = {}) {
    const { input, classes } = resolveShapes(p, inputShape, outputClasses);
    const dims = p.dims as 1 | 2;
    if (input.length !== dims + 1) {
      throw new ConfigError(`model '${name}' (ResNetStride): dims = ${dims} needs an input of rank ${dims + 1}, got [${input.join(', ')}]; set params.dims or check the dataset`);
    }
    const g = new GraphBuilder(name, input, options.rng);
    const bn = p.batch_norm;
    const bnOptions = { momentum: p.bn_momentum };
    if (p.prepool > 1) g.pool('AvgPool', 'prepool', dims, p.prepool);
    g.conv('conv1', { dims, filters: p.filters[0], kernel: p.kernel_sizes[0], stride: p.strides[0], padding: p.paddings[0], useBias: !bn });
    if (bn) g.batchNorm('bn1', bnOptions);
    if (p.pool_sizes[0] !== 1) g.pool('MaxPool', 'pool1', dims, p.pool_sizes[0]);
    g.relu('relu1');
    let inPlanes = p.filters[0];
    const stages = Math.min(p.filters.length, p.kernel_sizes.length, p.pool_sizes.length, p.strides.length, p.paddings.length, p.num_blocks.length + 1) - 1;
    for (let s = 0; s < stages; s++) {
      const planes = p.filters[s + 1];
      const poolSize = p.pool_sizes[s + 1];
      for (let b = 0; b < p.num_blocks[s]; b++) {
        const stride = b === 0 ? p.strides[s + 1] : 1;
        const prefix = `layers_${s}_${b}`;
        const blockInput = g.last;
        g.conv(`${prefix}_conv1`, { dims, filters: planes, kernel: p.kernel_sizes[s + 1], stride, padding: p.paddings[s + 1], useBias: !bn });
        if (bn) g.batchNorm(`${prefix}_bn1`, bnOptions);
        if (poolSize !== 1) g.pool('MaxPool', `${prefix}_pool1`, dims, poolSize);
        g.relu(`${prefix}_relu1`);
        g.conv(`${prefix}_conv2`, { dims, filters: planes, kernel: p.kernel_sizes[s + 1], padding: p.paddings[s + 1], useBias: !bn });
        if (bn) g.batchNorm(`${prefix}_bn2`, bnOptions);
        const main = g.last;
        let shortcut = blockInput;
        if (inPlanes !== planes || (p.force_projection_with_pooling && poolSize !== 1) || stride !== 1) {
          shortcut = g.conv(`${prefix}_sconv`, { dims, filters: planes, kernel: 1, stride, useBias: !bn, input: blockInput });
          if (bn) shortcut = g.batchNorm(`${prefix}_sbn`, bnOptions);
        }
        if (poolSize !== 1) shortcut = g.pool('MaxPool', `${prefix}_spool`, dims, poolSize, shortcut);
        g.add(`${prefix}_add`, [main, shortcut]);
        g.relu(`${prefix}_relu`);
        inPlanes = planes;
      }
    }
    if (p.postpool === 'sum') {
      g.conv('conv2', { dims, filters: classes, kernel: 1, useBias: true });
      g.relu('relu2');
      g.globalPool('gsp', 'sum');
      return g.finish();
    }
    const featureMap = qualiaFeatureMap(input, p.prepool, p, (size, k, pad, stride, pool) => Math.ceil(Math.floor((size + 2 * pad - (k - 1)) / pool) / stride));
    addHead(g, name, 'ResNetStride', dims, p.postpool, featureMap, classes);
    return g.finish();
  },
};
