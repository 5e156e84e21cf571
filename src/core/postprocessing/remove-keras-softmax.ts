// Qualia's RemoveKerasSoftmax drops a Keras model's final softmax activation, so generated code returns the
// logits. A trailing Softmax layer of a Mote graph is removed the same way; without one (Mote's model kinds
// build none), the model passes through unchanged.

import { table, type Infer } from '../base/schema';
import { cloneGraph } from '../models/serialize';
import type { PostprocessingKind } from './types';

const params = table({});

export const removeKerasSoftmaxKind: PostprocessingKind<Infer<typeof params>> = {
  kind: 'RemoveKerasSoftmax',
  summary: 'Removes a final Softmax layer so the generated code returns logits, as Qualia does for Keras models',
  params,
  async run(_params, input) {
    const last = input.graph.layers[input.graph.layers.length - 1];
    if (last.kind !== 'Softmax') return { graph: input.graph, name: input.name, exports: {} };
    const graph = cloneGraph(input.graph);
    graph.layers.pop();
    delete graph.shapes[last.name];
    input.log?.(`${input.where ?? 'RemoveKerasSoftmax'}: removed the final Softmax layer '${last.name}'`);
    return { graph, name: input.name, exports: {} };
  },
};
