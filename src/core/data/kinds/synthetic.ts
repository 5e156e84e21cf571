// Synthetic: Mote's seeded stand-in for a dataset that is not on this machine (MLPerf Tiny's Speech
// Commands MFCCs, CIFAR-10, Visual Wake Words, ToyADMOS spectrograms), in the shape the model expects. Each
// class has its own random mean pattern; a sample is its class pattern plus unit Gaussian noise, so a
// model can learn it and calibration sees realistic spreads, but no accuracy measured on it means
// anything about the real task. Same params → same samples (createRng(seed)).

import { ConfigError } from '../../base/errors';
import { createRng } from '../../base/rng';
import { integer, list, number, table } from '../../base/schema';
import type { DataBundle } from '../bundle';
import { makeSet } from '../bundle';
import type { DatasetKind } from '../kind';

const params = table({
  shape: list(integer(undefined, { min: 1, max: 4096 }), undefined, { minLength: 1 }),
  classes: integer(2, { min: 1, max: 1000 }),
  train: integer(256, { min: 1, max: 100_000 }),
  test: integer(64, { min: 1, max: 100_000 }),
  /** Spread of the class patterns relative to the unit noise. */
  separation: number(1, { min: 0, max: 100 }),
  seed: integer(1),
});

/** At most this many values per split, so a typo in `shape` cannot exhaust memory. */
const MAX_VALUES = 64 * 1024 * 1024;

export const Synthetic = {
  kind: 'Synthetic',
  summary: 'Seeded synthetic samples of a given shape and class count (a class pattern plus noise): a stand-in where the real dataset is absent; accuracy on it means nothing',
  params,
  needsFiles: false,
  async load(p, _source?, progress?) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    for (const [split, count] of [['train', p.train], ['test', p.test]] as const) {
      if (size * count > MAX_VALUES) throw new ConfigError(`[dataset] params: ${count} ${split} samples of shape [${p.shape.join(', ')}] are ${size * count} values, over ${MAX_VALUES}; lower params.${split} or the shape`);
    }
    const rng = createRng(p.seed);
    const patterns = Array.from({ length: p.classes }, () => Float32Array.from({ length: size }, () => rng.normal() * p.separation));
    const make = (count: number) => {
      const x = new Float32Array(count * size);
      const labels = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const c = i % p.classes;
        labels[i] = c;
        for (let j = 0; j < size; j++) x[i * size + j] = patterns[c][j] + rng.normal();
      }
      return makeSet(x, p.shape, labels);
    };
    const bundle: DataBundle = { name: 'Synthetic', train: make(p.train), test: make(p.test), classNames: Array.from({ length: p.classes }, (_, c) => String(c)) };
    progress?.({ stage: 'import', done: 1, total: 1, detail: `Synthetic ${p.train} + ${p.test} × [${p.shape.join(', ')}]` });
    return bundle;
  },
} satisfies DatasetKind<ReturnType<typeof params.parse>>;
