// Qualia's FuseBatchNorm: a BatchNorm that directly follows a Conv or Dense (its only consumer) is folded
// into that layer's kernel and bias (inference statistics), like torch.fx's fuse. The model is renamed
// `<name>_fused`. Other BatchNorms stay (the C generator emits them as per-channel affines).

import { boolean, table, type Infer } from '../base/schema';
import type { Layer, ModelGraph } from '../models/graph';
import { cloneGraph } from '../models/serialize';
import { inferShapes } from '../models/shapes';
import type { PostprocessingKind } from './types';

const params = table({ evaluate: boolean(true) });

/** Returns a new graph with every foldable BatchNorm folded, and the names of the folded ones. */
export function fuseBatchNorm(graph: ModelGraph): { graph: ModelGraph; fused: string[] } {
  const out = cloneGraph(graph);
  const consumers = new Map<string, number>();
  for (const layer of out.layers) for (const input of layer.inputs) consumers.set(input, (consumers.get(input) ?? 0) + 1);
  const byName = new Map(out.layers.map((l) => [l.name, l]));
  const renames = new Map<string, string>();
  const kept: Layer[] = [];
  const fused: string[] = [];
  for (const layer of out.layers) {
    layer.inputs = layer.inputs.map((n) => renames.get(n) ?? n);
    const producer = layer.kind === 'BatchNorm' ? byName.get(layer.inputs[0]) : undefined;
    if (layer.kind === 'BatchNorm' && producer && (producer.kind === 'Conv' || producer.kind === 'Dense') && producer.activation === 'linear' && consumers.get(producer.name) === 1) {
      const w = (role: string) => out.weights[`${layer.name}/${role}`].data;
      const [gamma, beta, mean, variance] = [w('gamma'), w('beta'), w('mean'), w('variance')];
      const channels = gamma.length;
      const kernel = out.weights[`${producer.name}/kernel`];
      const oldBias = producer.useBias ? out.weights[`${producer.name}/bias`].data : new Float32Array(channels);
      const scale = Float64Array.from(gamma, (g, c) => g / Math.sqrt(variance[c] + layer.epsilon));
      // Output channels are the last axis of both kernel layouts ([.., filters] and [in, units]).
      for (let i = 0; i < kernel.data.length; i++) kernel.data[i] = kernel.data[i] * scale[i % channels];
      const bias = new Float32Array(channels);
      for (let c = 0; c < channels; c++) bias[c] = (oldBias[c] - mean[c]) * scale[c] + beta[c];
      out.weights[`${producer.name}/bias`] = { shape: [channels], data: bias };
      producer.useBias = true;
      for (const role of ['gamma', 'beta', 'mean', 'variance']) delete out.weights[`${layer.name}/${role}`];
      renames.set(layer.name, producer.name);
      fused.push(layer.name);
      continue;
    }
    kept.push(layer);
  }
  out.layers = kept;
  out.shapes = {};
  return { graph: inferShapes(out), fused };
}

export const fuseBatchNormKind: PostprocessingKind<Infer<typeof params>> = {
  kind: 'FuseBatchNorm',
  summary: 'folds each BatchNorm that follows a Conv/Dense into its kernel and bias; renames the model <name>_fused',
  params,
  async run(_params, input) {
    const { graph, fused } = fuseBatchNorm(input.graph);
    input.log?.(`FuseBatchNorm: folded ${fused.length} BatchNorm layer${fused.length === 1 ? '' : 's'}${fused.length ? ` (${fused.join(', ')})` : ''}`);
    const name = `${input.name}_fused`;
    return { graph: { ...graph, name }, name, exports: {} };
  },
};
