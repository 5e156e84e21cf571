import type { KindInfo } from '../base/kinds';
import { cnn } from './cnn';
import { mlp } from './mlp';
import { resnet } from './resnet';
import { resnetStride } from './resnet-stride';

/** Every [[model]] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const modelKinds = {
  MLP: mlp,
  CNN: cnn,
  ResNet: resnet,
  ResNetStride: resnetStride,
} satisfies Record<string, KindInfo<any>>;
