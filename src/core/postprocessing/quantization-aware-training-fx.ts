// Qualia's QuantizationAwareTrainingFX: the torch.fx variant of QuantizationAwareTraining. Mote's IR is
// already a graph with ReLU fused by the deployment lowering, so both kinds behave the same.

import type { PostprocessingKind } from './types';
import { quantizationAwareTrainingParams, runQuantizationAwareTraining, type QuantizationAwareTrainingParams } from './quantization-aware-training';

export const quantizationAwareTrainingFxKind: PostprocessingKind<QuantizationAwareTrainingParams> = {
  kind: 'QuantizationAwareTrainingFX',
  summary: 'same as QuantizationAwareTraining (graph-based in Qualia); ReLU/ReLU6 fused into the previous layer',
  params: quantizationAwareTrainingParams,
  run: (params, input) => runQuantizationAwareTraining('QuantizationAwareTrainingFX', params, input),
};
