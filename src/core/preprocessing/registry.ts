import type { KindInfo } from '../base/kinds';
import { Class2BinMatrix } from './kinds/class2binmatrix';
import { CopySet } from './kinds/copy-set';
import { DatamodelConverter } from './kinds/datamodel-converter';
import { DatasetSplitter } from './kinds/dataset-splitter';
import { MFCC } from './kinds/mfcc';
import { Normalize } from './kinds/normalize';
import { Reshape2DTo1D } from './kinds/reshape2dto1d';
import { Window } from './kinds/window';

/** Every [[preprocessing]] kind Mote supports, keyed by Qualia's kind name; one line per kind file. */
export const preprocessingKinds = {
  DatamodelConverter,
  Class2BinMatrix,
  Normalize,
  DatasetSplitter,
  CopySet,
  Window,
  Reshape2DTo1D,
  MFCC,
} satisfies Record<string, KindInfo<any>>;
