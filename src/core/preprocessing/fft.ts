// In-place iterative radix-2 FFT (Cooley–Tukey), Bluestein's chirp-z for other lengths (torchaudio's
// default n_fft is 400) built on it, and the real-input packing that halves the work. Float64 throughout.

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/** A radix-2 FFT of length n with its bit-reversal permutation and twiddles computed once. */
export function planRadix2(n: number, inverse = false): (re: Float64Array, im: Float64Array) => void {
  if (!isPowerOfTwo(n)) throw new Error(`internal: radix-2 FFT length ${n} is not a power of two`);
  const swaps: number[] = [];
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) swaps.push(i, j);
  }
  const sign = inverse ? 1 : -1;
  const cos = new Float64Array(n >> 1);
  const sin = new Float64Array(n >> 1);
  for (let k = 0; k < n >> 1; k++) { cos[k] = Math.cos((sign * 2 * Math.PI * k) / n); sin[k] = Math.sin((sign * 2 * Math.PI * k) / n); }
  return (re, im) => {
    for (let s = 0; s < swaps.length; s += 2) {
      const i = swaps[s], j = swaps[s + 1];
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
    for (let size = 2; size <= n; size <<= 1) {
      const half = size >> 1;
      const stride = n / size;
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride];
        const wi = sin[k * stride];
        for (let start = k; start < n; start += size) {
          const j = start + half;
          const tr = re[j] * wr - im[j] * wi;
          const ti = re[j] * wi + im[j] * wr;
          re[j] = re[start] - tr; im[j] = im[start] - ti;
          re[start] += tr; im[start] += ti;
        }
      }
    }
  };
}

/** A planned forward DFT of any length n (radix-2 when n is a power of two, Bluestein otherwise). */
export function planDft(n: number): (re: Float64Array, im: Float64Array) => void {
  if (isPowerOfTwo(n)) return planRadix2(n);
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  // chirp w_k = exp(-iπk²/n); b = conj(w) zero-padded and wrapped, transformed once.
  const wr = new Float64Array(n);
  const wi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const angle = (Math.PI * ((k * k) % (2 * n))) / n;
    wr[k] = Math.cos(angle);
    wi[k] = -Math.sin(angle);
  }
  const br = new Float64Array(m);
  const bi = new Float64Array(m);
  br[0] = wr[0]; bi[0] = -wi[0];
  for (let k = 1; k < n; k++) {
    br[k] = br[m - k] = wr[k];
    bi[k] = bi[m - k] = -wi[k];
  }
  const forward = planRadix2(m);
  const backward = planRadix2(m, true);
  forward(br, bi);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  return (re, im) => {
    ar.fill(0); ai.fill(0);
    for (let k = 0; k < n; k++) {
      ar[k] = re[k] * wr[k] - im[k] * wi[k];
      ai[k] = re[k] * wi[k] + im[k] * wr[k];
    }
    forward(ar, ai);
    for (let k = 0; k < m; k++) {
      const r = ar[k] * br[k] - ai[k] * bi[k];
      ai[k] = ar[k] * bi[k] + ai[k] * br[k];
      ar[k] = r;
    }
    backward(ar, ai);
    for (let k = 0; k < n; k++) {
      const r = ar[k] / m;
      const i = ai[k] / m;
      re[k] = r * wr[k] - i * wi[k];
      im[k] = r * wi[k] + i * wr[k];
    }
  };
}

/**
 * Planned DFT of a real signal of even length n, through one complex DFT of length n/2 (the even/odd
 * packing trick): writes bins 0..n/2 of the one-sided spectrum to outRe/outIm. Odd n falls back to a full DFT.
 */
export function planRealDft(n: number): (x: Float64Array, outRe: Float64Array, outIm: Float64Array) => void {
  if (n % 2 === 1) {
    const dft = planDft(n);
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    return (x, outRe, outIm) => {
      re.set(x.subarray(0, n)); im.fill(0);
      dft(re, im);
      for (let k = 0; k <= n >> 1; k++) { outRe[k] = re[k]; outIm[k] = im[k]; }
    };
  }
  const h = n >> 1;
  const dft = planDft(h);
  const zr = new Float64Array(h);
  const zi = new Float64Array(h);
  const wr = Float64Array.from({ length: h }, (_, k) => Math.cos((-2 * Math.PI * k) / n));
  const wi = Float64Array.from({ length: h }, (_, k) => Math.sin((-2 * Math.PI * k) / n));
  return (x, outRe, outIm) => {
    for (let k = 0; k < h; k++) { zr[k] = x[2 * k]; zi[k] = x[2 * k + 1]; }
    dft(zr, zi);
    for (let k = 0; k <= h; k++) {
      const a = k % h;
      const b = (h - k) % h;
      // even part E = (Z[k] + conj Z[h−k]) / 2, odd part O = (Z[k] − conj Z[h−k]) / (2i)
      const er = (zr[a] + zr[b]) / 2;
      const ei = (zi[a] - zi[b]) / 2;
      const or = (zi[a] + zi[b]) / 2;
      const oi = -(zr[a] - zr[b]) / 2;
      const twr = k === h ? -1 : wr[k];
      const twi = k === h ? 0 : wi[k];
      outRe[k] = er + or * twr - oi * twi;
      outIm[k] = ei + or * twi + oi * twr;
    }
  };
}
