import type { FloatReference } from '../facets/float';
import { channelLayout } from './channels';
import type { ConcatenateLayer } from './layer';

export const concatenateFloat: FloatReference<ConcatenateLayer> = (_layer, { inputs, inShapes, outShape }) => {
  const { positions, channels, runs } = channelLayout(inShapes, outShape);
  const out = new Float32Array(positions * channels);
  runs.forEach((run, k) => {
    for (let p = 0; p < positions; p++) out.set(inputs[k].subarray(p * run.channels, (p + 1) * run.channels), p * channels + run.offset);
  });
  return out;
};
