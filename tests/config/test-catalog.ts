// A fixed catalog for the golden samples, so their expected output does not move when the areas add kinds.
// Params are deliberately small copies of Qualia's signatures (reference §3).

import type { Catalog } from '../../src/core/catalog';
import { quantizationConfigSchema } from '../../src/core/config/experiment';
import { anything, boolean, integer, list, number, oneOf, oneOrList, optional, string, table } from '../../src/core/base/schema';
import type { KindInfo } from '../../src/core/base/kinds';
import { optimizerKinds } from '../../src/core/training/optimizer-kinds';
import { schedulerKinds } from '../../src/core/training/schedulers';

function kind(name: string, params: KindInfo<unknown>['params']): KindInfo<unknown> {
  return { kind: name, summary: `test ${name}`, params };
}

const ints = list(integer());

export const testCatalog: Catalog = {
  learningframework: {
    PyTorch: kind('PyTorch', table({ devices: anything('auto'), metrics: list(string(), ['acc']), loss: oneOf(['crossentropy', 'mse'], 'crossentropy') })),
  },
  dataset: {
    UCI_HAR: kind('UCI_HAR', table({ path: string(''), variant: oneOf(['features', 'raw'], 'features') })),
  },
  preprocessing: {
    DatamodelConverter: kind('DatamodelConverter', table({})),
    Class2BinMatrix: kind('Class2BinMatrix', table({ classes: optional(integer(undefined, { min: 1 })) })),
  },
  data_augmentation: {
    GaussianNoise: kind('GaussianNoise', table({ sigma: number(0.375) })),
  },
  model: {
    CNN: kind('CNN', table({
      filters: ints, kernel_sizes: ints, paddings: ints, strides: ints, pool_sizes: ints,
      dropouts: oneOrList(number()), fc_units: ints, batch_norm: boolean(false), prepool: integer(1), postpool: integer(1), dims: integer(1),
    })),
    MLP: kind('MLP', table({ units: list(integer(undefined, { min: 1 })) })),
  },
  postprocessing: {
    FuseBatchNorm: kind('FuseBatchNorm', table({ evaluate: boolean(true) })),
    QuantizationAwareTraining: kind('QuantizationAwareTraining', table({
      epochs: integer(1), batch_size: integer(32), evaluate_before: boolean(true),
      model: table({ params: table({ quant_params: quantizationConfigSchema }, { open: true }) }),
    })),
  },
  converter: {
    QualiaCodeGen: kind('QualiaCodeGen', table({ long_width: optional(integer()), metrics: list(string(), ['acc']) })),
  },
  target: {
    Linux: kind('Linux', table({})),
  },
  experimenttracking: {},
  // The trainer's own optimizer and scheduler kinds: small, stable, and what the samples use.
  optimizer: optimizerKinds,
  scheduler: schedulerKinds,
};
