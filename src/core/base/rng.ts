// One seeded generator for everything random in a run (shuffles, augmentations, initial weights), so a
// run with the same bench.seed is reproducible on CPU/WASM. xoshiro128** (Blackman & Vigna, public domain
// algorithm), seeded through splitmix32 so that nearby seeds give unrelated streams.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** A new generator derived from this one's stream and a label, for independent sub-streams. */
  fork(label: string): Rng;
  /** In-place Fisher–Yates shuffle. */
  shuffle<T>(items: T[] | Int32Array | Uint32Array): void;
  /** Where the stream is now, so that a resumed training draws exactly what an uninterrupted one would. */
  save(): RngState;
}

/** A generator's whole state: the xoshiro128** words and the normal drawn but not yet returned. */
export interface RngState {
  words: [number, number, number, number];
  spareNormal: number | null;
}

function splitmix32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashLabel(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function createRng(seed: number): Rng {
  const init = splitmix32(seed);
  const words = new Uint32Array([init(), init(), init(), init()]);
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return generator(words, undefined);
}

/** A generator that continues from a saved state; throws on a state that no generator can have. */
export function restoreRng(state: RngState): Rng {
  const words = state?.words;
  if (!Array.isArray(words) || words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) || words.every((w) => w === 0)) {
    throw new RangeError('a random generator state must be four unsigned 32-bit words, not all zero');
  }
  if (state.spareNormal !== null && !Number.isFinite(state.spareNormal)) throw new RangeError('a random generator state has a spare normal that is not a finite number');
  return generator(Uint32Array.from(words), state.spareNormal ?? undefined);
}

function generator(s: Uint32Array, spare: number | undefined): Rng {
  let spareNormal = spare;

  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };

  const rng: Rng = {
    next: () => nextUint32() / 4294967296,
    int: (n) => Math.floor((nextUint32() / 4294967296) * n),
    normal: () => {
      if (spareNormal !== undefined) { const v = spareNormal; spareNormal = undefined; return v; }
      let u = 0;
      while (u === 0) u = rng.next();
      const v = rng.next();
      const r = Math.sqrt(-2 * Math.log(u));
      spareNormal = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    fork: (label) => createRng((nextUint32() ^ hashLabel(label)) >>> 0),
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
    },
    save: () => ({ words: [s[0], s[1], s[2], s[3]], spareNormal: spareNormal ?? null }),
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
