import type { KindInfo } from '../base/kinds';
import { cnn } from './cnn';
import { dscnn } from './dscnn';
import { mlp } from './mlp';
import { mobilenetV1 } from './mobilenet-v1';
import { onnxModel } from './onnx-model';
import { resnet } from './resnet';
import { resnetStride } from './resnet-stride';

/** Every [[model]] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const modelKinds = {
  MLP: mlp,
  CNN: cnn,
  ResNet: resnet,
  ResNetStride: resnetStride,
  DSCNN: dscnn,
  MobileNetV1: mobilenetV1,
  ONNX: onnxModel,
} satisfies Record<string, KindInfo<any>>;
