import { number, oneOrList, table } from '../../base/schema';
import { ConfigError } from '../../base/errors';
import type { AugmentationKind } from '../kind';
import { commonParams } from '../kind';

const params = table({ ...commonParams, mean: oneOrList(number()), std: oneOrList(number()) });

/** (x − mean[c]) / std[c] per channel (last axis), torchvision Normalize; a single number applies to all channels. */
export const Normalize = {
  kind: 'Normalize',
  summary: 'Per-channel (x − mean) / std with fixed values (torchvision Normalize)',
  params,
  apply(batch, p) {
    const channels = batch.shape[batch.shape.length - 1];
    const expand = (v: number | number[], name: string) => {
      const values = Array.isArray(v) ? v : [v];
      if (values.length === 1) return new Array<number>(channels).fill(values[0]);
      if (values.length !== channels) throw new ConfigError(`data_augmentation Normalize: ${name} has ${values.length} values, the samples have ${channels} channels`);
      return values;
    };
    const mean = expand(p.mean, 'mean');
    const std = expand(p.std, 'std');
    if (std.some((s) => s === 0)) throw new ConfigError('data_augmentation Normalize: std must not be 0');
    const x = new Float32Array(batch.x.length);
    for (let i = 0; i < x.length; i++) { const c = i % channels; x[i] = (batch.x[i] - mean[c]) / std[c]; }
    return { ...batch, x };
  },
} satisfies AugmentationKind<ReturnType<typeof params.parse>>;
