import type { KindInfo } from '../base/kinds';
import { exportOnnxKind } from './export-onnx';
import { fuseBatchNormKind } from './fuse-batchnorm';
import { quantizationAwareTrainingKind } from './quantization-aware-training';
import { quantizationAwareTrainingFxKind } from './quantization-aware-training-fx';
import { removeKerasSoftmaxKind } from './remove-keras-softmax';
import { torch2KerasKind } from './torch2keras';

/** Every [[postprocessing]] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const postprocessingKinds = {
  FuseBatchNorm: fuseBatchNormKind,
  QuantizationAwareTraining: quantizationAwareTrainingKind,
  QuantizationAwareTrainingFX: quantizationAwareTrainingFxKind,
  Torch2Keras: torch2KerasKind,
  RemoveKerasSoftmax: removeKerasSoftmaxKind,
  ExportONNX: exportOnnxKind,
} satisfies Record<string, KindInfo<any>>;
