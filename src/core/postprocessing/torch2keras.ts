// Qualia's Torch2Keras copies a trained PyTorch model's weights into an equivalent Keras model (with a
// layer-name `mapping` file) so Keras-only converters can read it. Mote's models are framework-neutral
// ModelGraphs that every stage reads directly, so the step has nothing to convert: the graph and name pass
// through unchanged, and the mapping is only checked to be given as a string (Qualia requires it).

import { string, table, type Infer } from '../base/schema';
import type { PostprocessingKind } from './types';

const params = table({ mapping: string() });

export const torch2KerasKind: PostprocessingKind<Infer<typeof params>> = {
  kind: 'Torch2Keras',
  summary: 'Qualia\'s PyTorch → Keras weight copy; Mote\'s ModelGraph needs no conversion, so the model passes through unchanged',
  params,
  async run(_params, input) {
    input.log?.(`${input.where ?? 'Torch2Keras'}: Mote's ModelGraph is framework-neutral, nothing to convert`);
    return { graph: input.graph, name: input.name, exports: {} };
  },
};
