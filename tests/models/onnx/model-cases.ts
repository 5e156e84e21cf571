// The models the ONNX tests round-trip: every graph of the codegen zoo (every layer kind the C generator
// runs) plus the float-only Softmax model, and every [[model]] kind built small, with BatchNorm statistics
// drawn at random so that an exported BatchNormalization is not the identity.

import type { Issue } from '../../../src/core/base/schema';
import { createRng } from '../../../src/core/base/rng';
import type { ModelGraph } from '../../../src/core/models/graph';
import { modelKinds } from '../../../src/core/models/registry';
import { softmaxModel, wideDenseModel, zoo } from '../../codegen/zoo';

function build(kind: keyof typeof modelKinds, params: Record<string, unknown>, input: number[], classes: number, name: string): ModelGraph {
  const issues: Issue[] = [];
  const parsed = modelKinds[kind].params.parse(params, 'model[0].params', issues);
  if (issues.some((i) => i.severity === 'error')) throw new Error(`${name}: ${issues.map((i) => i.message).join('; ')}`);
  const graph = modelKinds[kind].build(parsed as never, input, classes, name, { rng: createRng(7).fork(name) });
  const rng = createRng(3).fork(`${name}/bn`);
  for (const [key, tensor] of Object.entries(graph.weights)) {
    const role = key.split('/').pop();
    if (role === 'variance' || role === 'gamma') tensor.data.forEach((_, i) => (tensor.data[i] = 0.5 + rng.next()));
    if (role === 'mean' || role === 'beta') tensor.data.forEach((_, i) => (tensor.data[i] = (rng.next() - 0.5) * 0.4));
  }
  return graph;
}

export const modelKindCases: Record<string, () => ModelGraph> = {
  mlp_kind: () => build('MLP', { units: [12, 8] }, [10, 3], 4, 'mlp_kind'),
  cnn1d_bn: () => build('CNN', { filters: [4, 6], kernel_sizes: [3, 3], paddings: [1, 0], strides: [1, 2], dropouts: 0.1, pool_sizes: [2, 0], fc_units: [5], batch_norm: true, dims: 1 }, [20, 3], 3, 'cnn1d_bn'),
  cnn2d_separable: () => build('CNN', { filters: [4, 6], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], dropouts: 0, pool_sizes: [2, 2], fc_units: [], separables: [false, true], dims: 2 }, [8, 8, 2], 3, 'cnn2d_separable'),
  resnet_bn: () => build('ResNet', { filters: [4, 6], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 2], num_blocks: [1], batch_norm: true }, [32, 3], 4, 'resnet_bn'),
  dscnn_small: () => build('DSCNN', { filters: 8, first_kernel: [3, 3], first_stride: [2, 2], first_padding: [1, 1], blocks: 2, dropout: 0.1 }, [12, 8, 1], 4, 'dscnn_small'),
  mobilenet_v1_tiny: () => build('MobileNetV1', { alpha: 0.25, block_filters: [16, 32], block_strides: [1, 2], first_filters: 8 }, [16, 16, 3], 2, 'mobilenet_v1_tiny'),
  resnet_stride_sum: () => build('ResNetStride', { filters: [4, 6], kernel_sizes: [3, 3], pool_sizes: [1, 1], paddings: [1, 1], strides: [1, 2], num_blocks: [1], postpool: 'sum' }, [24, 2], 3, 'resnet_stride_sum'),
};

/** The [[model]] kind each case builds. */
export const modelKindOf: Record<string, string> = { mlp_kind: 'MLP', cnn1d_bn: 'CNN', cnn2d_separable: 'CNN', resnet_bn: 'ResNet', dscnn_small: 'DSCNN', mobilenet_v1_tiny: 'MobileNetV1', resnet_stride_sum: 'ResNetStride' };

export const roundTripCases: Record<string, () => ModelGraph> = {
  ...zoo,
  softmax: softmaxModel,
  wide_dense: wideDenseModel,
  ...modelKindCases,
};
