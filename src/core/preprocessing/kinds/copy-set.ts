import { ConfigError } from '../../base/errors';
import { number, oneOf, table } from '../../base/schema';
import { selectSamples } from '../../data/bundle';
import type { PreprocessingKind } from '../kind';
import { addTo, pickFraction } from './dataset-splitter';

const params = table({
  source: oneOf(['train', 'valid', 'test'] as const, 'train'),
  dest: oneOf(['train', 'valid', 'test'] as const, 'test'),
  ratio: number(0.1, { min: 0, max: 1 }),
});

/** Copies a seeded random 'ratio' of 'source' into 'dest'; the source keeps its samples. */
export const CopySet = {
  kind: 'CopySet',
  summary: "Copies a seeded random 'ratio' of the 'source' set into 'dest' (the source keeps them)",
  params,
  apply(bundle, p, ctx) {
    const source = bundle[p.source];
    if (!source) throw new ConfigError(`${ctx.where}: the dataset has no '${p.source}' set to copy from`);
    if (p.source === p.dest) throw new ConfigError(`${ctx.where}: source and dest are both '${p.source}'`);
    return addTo(bundle, p.dest, selectSamples(source, pickFraction(source.count, p.ratio, ctx.rng).picked));
  },
} satisfies PreprocessingKind<ReturnType<typeof params.parse>>;
