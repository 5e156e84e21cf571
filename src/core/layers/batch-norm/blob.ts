import type { BlobEncoder } from '../facets/blob';
import { accumulatorSetup } from '../shared/accumulator';
import { rescaleWords } from '../shared/blob-params';
import type { BatchNormLayer } from './layer';

export const batchNormBlob: BlobEncoder<BatchNormLayer> = {
  code: 3,
  encode(_layer, ctx) {
    const shape = ctx.inShapes[0];
    const channels = shape[shape.length - 1];
    const positions = shape.reduce((a, b) => a * b, 1) / channels;
    const setup = accumulatorSetup(ctx.format, ctx.intWeight('bias'), 'linear', ctx.inFracs[0], ctx.longWidth);
    const kernel = ctx.weights('number', ctx.intWeight('kernel')!);
    const bias = ctx.weights('acc', setup.bias!);
    return { kind: 'layer', params: [positions, channels, ...rescaleWords(setup.shift, ctx.format.round), kernel, bias] };
  },
};
