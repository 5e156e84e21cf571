import type { KindInfo } from '../base/kinds';
import { CIFAR10 } from './kinds/cifar10';
import { CSV } from './kinds/csv';
import { Digits } from './kinds/digits';
import { EdgeImpulse } from './kinds/edge-impulse';
import { FashionMNIST } from './kinds/fashion-mnist';
import { GSC } from './kinds/gsc';
import { ImageFolder } from './kinds/image-folder';
import { MNIST } from './kinds/mnist';
import { Recorded } from './kinds/recorded';
import { Synthetic } from './kinds/synthetic';
import { UCI_HAR } from './kinds/uci-har';

/** Every dataset kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const datasetKinds = {
  UCI_HAR,
  MNIST,
  FashionMNIST,
  CIFAR10,
  GSC,
  Digits,
  CSV,
  Recorded,
  ImageFolder,
  EdgeImpulse,
  Synthetic,
} satisfies Record<string, KindInfo<any>>;
