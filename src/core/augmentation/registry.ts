import type { KindInfo } from '../base/kinds';
import { Amplitude } from './kinds/amplitude';
import { Crop } from './kinds/crop';
import { Cutout1D } from './kinds/cutout1d';
import { GaussianNoise } from './kinds/gaussian-noise';
import { HorizontalFlip } from './kinds/horizontal-flip';
import { IntToFloat32 } from './kinds/int-to-float32';
import { MFCC } from './kinds/mfcc';
import { Mixup } from './kinds/mixup';
import { Normalize } from './kinds/normalize';
import { Rotation2D } from './kinds/rotation2d';
import { TimeShifting } from './kinds/time-shifting';
import { TimeWarping } from './kinds/time-warping';

/** Every [[data_augmentation]] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const augmentationKinds = {
  GaussianNoise,
  Amplitude,
  TimeShifting,
  TimeWarping,
  Cutout1D,
  Crop,
  HorizontalFlip,
  Rotation2D,
  Mixup,
  IntToFloat32,
  Normalize,
  MFCC,
} satisfies Record<string, KindInfo<any>>;
