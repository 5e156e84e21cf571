import { ConfigError } from '../base/errors';
import { type Infer, boolean, integer, list, number, optional, table } from '../base/schema';
import { GraphBuilder, type ModelKind, resolveShapes } from './builder';
import { channelCount, paddingSize, shapeDimension, windowSize } from './size-params';

const params = table({
  filters: channelCount(),
  first_kernel: list(windowSize(), [10, 4]),
  first_stride: list(windowSize(), [2, 2]),
  first_padding: list(paddingSize(), [5, 1]),
  blocks: integer(4, { min: 1, max: 32 }),
  kernel: windowSize(3),
  batch_norm: boolean(true),
  dropout: number(0, { min: 0, max: 1 }),
  input_shape: optional(list(shapeDimension())),
  output_shape: optional(list(shapeDimension())),
});

/**
 * MLPerf Tiny's keyword-spotting DS-CNN (Zhang et al., "Hello Edge", 2017; the reference model of the KWS
 * benchmark): a first 2-D conv (first_kernel, first_stride; symmetric first_padding in place of TF's
 * 'same'), BatchNorm, ReLU; then `blocks` depthwise-separable blocks (k×k depthwise, BatchNorm, ReLU, 1×1
 * pointwise to `filters`, BatchNorm, ReLU); Dropout; global average pool; Linear to the classes.
 * Qualia has no kind for it.
 */
export const dscnn: ModelKind<Infer<typeof params>> = {
  kind: 'DSCNN',
  summary: 'Depthwise-separable CNN (MLPerf Tiny KWS): a strided first conv, then blocks of depthwise k×k + pointwise 1×1, average pool, Linear',
  params,
  build(p, inputShape, outputClasses, name, options = {}) {
    const { input, classes } = resolveShapes(p, inputShape, outputClasses);
    if (input.length !== 3) throw new ConfigError(`model '${name}' (DSCNN): needs a 2-D input with channels (rank 3, e.g. 49×10×1 MFCC), got [${input.join(', ')}]`);
    const g = new GraphBuilder(name, input, options.rng);
    const bn = p.batch_norm;
    g.conv('conv1', { dims: 2, filters: p.filters, kernel: p.first_kernel, stride: p.first_stride, padding: p.first_padding, useBias: !bn });
    if (bn) g.batchNorm('bn1');
    g.relu('relu1');
    const pad = Math.floor(p.kernel / 2);
    for (let b = 0; b < p.blocks; b++) {
      const channels = g.shapeOf(g.last)[2];
      g.conv(`dw${b + 1}`, { dims: 2, filters: channels, kernel: p.kernel, padding: pad, groups: channels, useBias: !bn });
      if (bn) g.batchNorm(`dw${b + 1}_bn`);
      g.relu(`dw${b + 1}_relu`);
      g.conv(`pw${b + 1}`, { dims: 2, filters: p.filters, kernel: 1, useBias: !bn });
      if (bn) g.batchNorm(`pw${b + 1}_bn`);
      g.relu(`pw${b + 1}_relu`);
    }
    if (p.dropout > 0) g.dropout('dropout', p.dropout);
    g.globalPool('avgpool', 'avg');
    g.dense('fc', classes);
    return g.finish();
  },
};
