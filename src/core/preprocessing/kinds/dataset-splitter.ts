import { ConfigError } from '../../base/errors';
import { number, oneOf, table } from '../../base/schema';
import type { DataBundle, DataSet } from '../../data/bundle';
import { concatSets, selectSamples } from '../../data/bundle';
import type { Rng } from '../../base/rng';
import type { PreprocessingKind } from '../kind';

const params = table({
  source: oneOf(['train', 'valid', 'test'] as const, 'train'),
  dest: oneOf(['train', 'valid', 'test'] as const, 'test'),
  ratio: number(0.1, { min: 0, max: 1 }),
});

/** Seeded choice of round(ratio × count) sample indices of a set, returned sorted, plus the rest. */
export function pickFraction(count: number, ratio: number, rng: Rng): { picked: number[]; rest: number[] } {
  const order = Array.from({ length: count }, (_, i) => i);
  rng.shuffle(order);
  const n = Math.round(ratio * count);
  const chosen = new Uint8Array(count);
  for (const i of order.slice(0, n)) chosen[i] = 1;
  const picked: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < count; i++) (chosen[i] ? picked : rest).push(i);
  return { picked, rest };
}

export function addTo(bundle: DataBundle, dest: 'train' | 'valid' | 'test', set: DataSet): DataBundle {
  const existing = bundle[dest];
  return { ...bundle, [dest]: existing && existing.count > 0 ? concatSets(existing, set) : set };
}

/** Moves a seeded random `ratio` of `source` into `dest` (appended when dest exists), e.g. to make a valid set. */
export const DatasetSplitter = {
  kind: 'DatasetSplitter',
  summary: "Moves a seeded random 'ratio' of the 'source' set into 'dest' (e.g. train → valid)",
  params,
  apply(bundle, p, ctx) {
    const source = bundle[p.source];
    if (!source) throw new ConfigError(`${ctx.where}: the dataset has no '${p.source}' set to split`);
    if (p.source === p.dest) throw new ConfigError(`${ctx.where}: source and dest are both '${p.source}'`);
    const { picked, rest } = pickFraction(source.count, p.ratio, ctx.rng);
    const moved = addTo(bundle, p.dest, selectSamples(source, picked));
    return { ...moved, [p.source]: selectSamples(source, rest) };
  },
} satisfies PreprocessingKind<ReturnType<typeof params.parse>>;
