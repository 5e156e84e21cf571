import type { IntegerReference } from '../facets/integer';
import { requantizer } from '../shared/fixed-point';
import { channelLayout } from './channels';
import type { ConcatenateLayer } from './layer';

/** Each input's values rescaled from its format to the output's (exact shift, round mode, saturation). */
export const concatenateInteger: IntegerReference<ConcatenateLayer> = (_layer, { inputs, inShapes, outShape, inFracs, format, bits, out }) => {
  const { positions, channels, runs } = channelLayout(inShapes, outShape);
  runs.forEach((run, k) => {
    const rescale = requantizer(inFracs[k] - format.output, format.round, bits);
    const x = inputs[k];
    for (let p = 0; p < positions; p++) {
      for (let c = 0; c < run.channels; c++) out[p * channels + run.offset + c] = rescale(x[p * run.channels + c]);
    }
  });
};
