import { UnsupportedError } from '../../base/errors';
import type { CEmitter } from '../facets/c';
import type { SoftmaxLayer } from './layer';

/** float32 models only; uses expf from <math.h>. */
export const softmaxC: CEmitter<SoftmaxLayer> = (layer, ctx) => {
  if (ctx.number !== 'float32') {
    throw new UnsupportedError(`layer '${layer.name}' (Softmax) is not supported by the C generator for ${ctx.number}; remove it (the predicted class is unchanged) or use float32`);
  }
  const n = ctx.outShape[0];
  const lines = [
    '  float max = in0[0];',
    `  for (int i = 1; i < ${n}; i++) if (in0[i] > max) max = in0[i];`,
    '  float sum = 0.0f;',
    `  for (int i = 0; i < ${n}; i++) {`,
    '    out[i] = expf(in0[i] - max);',
    '    sum += out[i];',
    '  }',
    `  for (int i = 0; i < ${n}; i++) out[i] /= sum;`,
  ];
  return { kind: 'function', body: lines.join('\n'), macs: 0, includes: ['math.h'] };
};
