import { ConfigError } from '../base/errors';
import { type Infer, boolean, integer, list, number, optional, table } from '../base/schema';
import { GraphBuilder, type ModelKind, resolveShapes } from './builder';
import { channelCount, shapeDimension, windowSize } from './size-params';

const params = table({
  /** Width multiplier α: every layer's channels are round(α · the MobileNetV1 channels). */
  alpha: number(1, { min: 0.05, max: 4 }),
  /** Pointwise channels (before α) and depthwise stride of each separable block: MobileNetV1's 13 by default. */
  block_filters: list(channelCount(), [64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024]),
  block_strides: list(windowSize(), [1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1]),
  first_filters: integer(32, { min: 1, max: 4096 }),
  batch_norm: boolean(true),
  dropout: number(0, { min: 0, max: 1 }),
  input_shape: optional(list(shapeDimension())),
  output_shape: optional(list(shapeDimension())),
});

/**
 * MobileNetV1 (Howard et al., 2017), the reference model of MLPerf Tiny's visual wake words benchmark at
 * α = 0.25 on 96×96×3: a 3×3 stride-2 conv (first_filters·α), BatchNorm, ReLU, then one depthwise-separable
 * block per block_filters entry (3×3 depthwise with block_strides' stride, BatchNorm, ReLU, 1×1 pointwise,
 * BatchNorm, ReLU); Dropout; global average pool; Linear to the classes. Padding 1 on every 3×3 (TF's 'same'
 * gives the same sizes on even inputs). Qualia has no kind for it.
 */
export const mobilenetV1: ModelKind<Infer<typeof params>> = {
  kind: 'MobileNetV1',
  summary: 'MobileNetV1 with width multiplier alpha (MLPerf Tiny VWW at 0.25): a strided 3×3 conv, 13 depthwise-separable blocks, average pool, Linear',
  params,
  build(p, inputShape, outputClasses, name, options = {}) {
    const { input, classes } = resolveShapes(p, inputShape, outputClasses);
    if (input.length !== 3) throw new ConfigError(`model '${name}' (MobileNetV1): needs an image input (rank 3, e.g. 96×96×3), got [${input.join(', ')}]`);
    if (p.block_filters.length !== p.block_strides.length) {
      throw new ConfigError(`model '${name}' (MobileNetV1): params.block_filters has ${p.block_filters.length} entries and params.block_strides ${p.block_strides.length}; give one stride per block`);
    }
    const width = (channels: number) => Math.max(1, Math.round(channels * p.alpha));
    const g = new GraphBuilder(name, input, options.rng);
    const bn = p.batch_norm;
    g.conv('conv1', { dims: 2, filters: width(p.first_filters), kernel: 3, stride: 2, padding: 1, useBias: !bn });
    if (bn) g.batchNorm('bn1');
    g.relu('relu1');
    p.block_filters.forEach((filters, b) => {
      const channels = g.shapeOf(g.last)[2];
      g.conv(`dw${b + 1}`, { dims: 2, filters: channels, kernel: 3, stride: p.block_strides[b], padding: 1, groups: channels, useBias: !bn });
      if (bn) g.batchNorm(`dw${b + 1}_bn`);
      g.relu(`dw${b + 1}_relu`);
      g.conv(`pw${b + 1}`, { dims: 2, filters: width(filters), kernel: 1, useBias: !bn });
      if (bn) g.batchNorm(`pw${b + 1}_bn`);
      g.relu(`pw${b + 1}_relu`);
    });
    if (p.dropout > 0) g.dropout('dropout', p.dropout);
    g.globalPool('avgpool', 'avg');
    g.dense('fc', classes);
    return g.finish();
  },
};
