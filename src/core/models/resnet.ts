import { ConfigError } from '../base/errors';
import { type Infer, boolean, integer, list, number, oneOf, optional, table } from '../base/schema';
import { GraphBuilder, type ModelKind, resolveShapes } from './builder';
import { ModelGraphError } from './shapes';
import { blockCount, channelCount, paddingSize, shapeDimension, windowSize } from './size-params';

const params = table({
  filters: list(channelCount(), undefined, { minLength: 1 }),
  kernel_sizes: list(windowSize()),
  num_blocks: list(blockCount()),
  strides: list(windowSize()),
  paddings: list(paddingSize()),
  prepool: windowSize(1),
  postpool: oneOf(['max', 'avg'] as const, 'max'),
  batch_norm: boolean(false),
  bn_momentum: number(0.1, { min: 0, max: 1 }),
  force_projection_with_stride: boolean(true),
  dims: integer(1, { min: 1, max: 2 }),
  input_shape: optional(list(shapeDimension())),
  output_shape: optional(list(shapeDimension())),
});

export type ResNetParams = Infer<typeof params>;

/**
 * Qualia's `ResNet` ("ResNetv1"). Inside a BasicBlock the "stride" is a MaxPool size and both convs have
 * stride 1: conv → BN → MaxPool(stride) → ReLU → conv → BN, shortcut = identity or 1×1 conv → BN (when the
 * channels change, or with force_projection_with_stride when stride ≠ 1), then MaxPool(stride); Add → ReLU.
 * Head: global max pool with the kernel Qualia computes from the parameters (postpool = 'max') or average
 * pool (postpool = 'avg'), Flatten, Linear.
 */
export const resnet: ModelKind<ResNetParams> = {
  kind: 'ResNet',
  summary: 'Residual network v1 (Qualia): a stem conv, then stages of BasicBlocks whose strides are max-pool sizes',
  params,
  build(p, inputShape, outputClasses, name, options = {}) {
    const { input, classes } = resolveShapes(p, inputShape, outputClasses);
    const dims = p.dims as 1 | 2;
    if (input.length !== dims + 1) {
      throw new ConfigError(`model '${name}' (ResNet): dims = ${dims} needs an input of rank ${dims + 1}, got [${input.join(', ')}]; set params.dims or check the dataset`);
    }
    const g = new GraphBuilder(name, input, options.rng);
    const bn = p.batch_norm;
    const bnOptions = { momentum: p.bn_momentum };
    if (p.prepool > 1) g.pool('AvgPool', 'prepool', dims, p.prepool);
    g.conv('conv1', { dims, filters: p.filters[0], kernel: p.kernel_sizes[0], stride: p.strides[0], padding: p.paddings[0], useBias: !bn });
    if (bn) g.batchNorm('bn1', bnOptions);
    g.relu('relu1');
    let inPlanes = p.filters[0];
    const stages = Math.min(p.filters.length - 1, p.kernel_sizes.length - 1, p.strides.length - 1, p.paddings.length - 1, p.num_blocks.length);
    for (let s = 0; s < stages; s++) {
      const planes = p.filters[s + 1];
      for (let b = 0; b < p.num_blocks[s]; b++) {
        const stride = b === 0 ? p.strides[s + 1] : 1;
        const prefix = `layers_${s}_${b}`;
        const blockInput = g.last;
        g.conv(`${prefix}_conv1`, { dims, filters: planes, kernel: p.kernel_sizes[s + 1], padding: p.paddings[s + 1], useBias: !bn });
        if (bn) g.batchNorm(`${prefix}_bn1`, bnOptions);
        if (stride !== 1) g.pool('MaxPool', `${prefix}_pool1`, dims, stride);
        g.relu(`${prefix}_relu1`);
        g.conv(`${prefix}_conv2`, { dims, filters: planes, kernel: p.kernel_sizes[s + 1], padding: p.paddings[s + 1], useBias: !bn });
        if (bn) g.batchNorm(`${prefix}_bn2`, bnOptions);
        const main = g.last;
        let shortcut = blockInput;
        if (inPlanes !== planes || (p.force_projection_with_stride && stride !== 1)) {
          shortcut = g.conv(`${prefix}_sconv`, { dims, filters: planes, kernel: 1, useBias: !bn, input: blockInput });
          if (bn) shortcut = g.batchNorm(`${prefix}_sbn`, bnOptions);
        }
        if (stride !== 1) shortcut = g.pool('MaxPool', `${prefix}_spool`, dims, stride, shortcut);
        g.add(`${prefix}_add`, [main, shortcut]);
        g.relu(`${prefix}_relu`);
        inPlanes = planes;
      }
    }
    addHead(g, name, 'ResNet', dims, p.postpool, qualiaFeatureMap(input, p.prepool, p, (size, k, pad, stride) => Math.floor((size + 2 * pad - (k - 1)) / stride)), classes);
    return g.finish();
  },
};

/** The feature-map size Qualia uses as the global max-pool kernel, from its own formula per stage. */
export function qualiaFeatureMap(
  input: number[], prepool: number, p: { filters: number[]; kernel_sizes: number[]; strides: number[]; paddings: number[]; pool_sizes?: number[] },
  step: (size: number, kernel: number, padding: number, stride: number, pool: number) => number,
): number[] {
  let fm = input.slice(0, -1).map((n) => Math.floor(n / prepool));
  const count = Math.min(p.filters.length, p.kernel_sizes.length, p.strides.length, p.paddings.length, p.pool_sizes?.length ?? Infinity);
  for (let i = 0; i < count; i++) fm = fm.map((n) => step(n, p.kernel_sizes[i], p.paddings[i], p.strides[i], p.pool_sizes?.[i] ?? 1));
  return fm;
}

export function addHead(g: GraphBuilder, name: string, kind: string, dims: 1 | 2, postpool: 'max' | 'avg', featureMap: number[], classes: number): void {
  if (postpool === 'avg') {
    g.globalPool('postpool', 'avg');
  } else {
    const actual = g.shapeOf(g.last).slice(0, -1);
    if (actual.join(',') !== featureMap.join(',')) {
      throw new ModelGraphError(`model '${name}' (${kind}): Qualia sizes the final max pool from the parameters as [${featureMap.join(', ')}] but the last feature map is [${actual.join(', ')}]; Qualia's model would not build either — change paddings/strides or use postpool = 'avg'`);
    }
    g.pool('MaxPool', 'postpool', dims, featureMap);
  }
  g.flatten('flatten');
  g.dense('linear', classes);
}
