import { ConfigError } from '../../base/errors';
import { table } from '../../base/schema';
import { setsOf } from '../../data/bundle';
import type { PreprocessingKind } from '../kind';

const params = table({});

/** [h, w, c] → [h·w, c]: images become 1-D sequences (row-major), for 1-D models on 2-D data. */
export const Reshape2DTo1D = {
  kind: 'Reshape2DTo1D',
  summary: 'Reshapes 2-D samples [h, w, c] into 1-D sequences [h·w, c] (row-major)',
  params,
  apply(bundle, _p, ctx) {
    const out = { ...bundle };
    for (const [name, set] of setsOf(bundle)) {
      if (set.shape.length !== 3) throw new ConfigError(`${ctx.where}: expects 2-D samples [h, w, channels], the ${name} set has shape [${set.shape.join(', ')}]`);
      out[name] = { ...set, shape: [set.shape[0] * set.shape[1], set.shape[2]] };
    }
    return out;
  },
} satisfies PreprocessingKind<ReturnType<typeof params.parse>>;
