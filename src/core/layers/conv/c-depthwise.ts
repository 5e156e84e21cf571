// Depthwise convolution (groups = input channels, one filter per channel) on Armv7E-M SIMD, int8 with 32-bit
// accumulators (the cortex-m dialect; the portable fallbacks of arith-c.ts give the same integers elsewhere).
// Channels sum nothing across each other, so SMLAD pairs *taps* of one channel: for each output pixel and
// group of four channels, the input words of two taps p, q (four channels each) are interleaved by halves
// (PKHBT: bytes p0 p1 q0 q1; PKHTB: p2 p3 q2 q3) and sign-extended with SXTB16 / SXTB16 ror 8 into
// (p_c, q_c) pairs; one SMLAD per channel then does two MACs against the pre-packed weight pair
// (k[c][t0], k[c][t1]). An odd last tap takes SMLABB / SMLATT (one MAC each). The four accumulators stay
// in registers over the whole window; shapes and tap offsets are compile-time constants, so each tap is
// one LDR with an immediate offset. A window crossing the padding first points each of its taps at the
// input pixel or, outside, at a row of zeros (zeros add nothing), and runs the same steps through those
// pointers (two more pipelined loads per tap pair, no copy, any channel count). Channels beyond the last group
// of four take the scalar loop. Sums wrap modulo 2^32 like the integer reference's.
import type { CEmitContext } from '../facets/c';
import { roundingAddend, type RoundMode } from '../shared/fixed-point';
import type { ConvLayer } from './layer';

const esc = (s: string) => `"${s}\\n\\t"`;

export interface DepthwiseShape {
  h: number; w: number; cin: number; oh: number; ow: number;
  kh: number; kw: number; sh: number; sw: number; ph: number; pw: number;
}

/** Weight words of a 4-channel group, in the order the loops read them (see packDepthwise). */
export function depthwiseGroupWords(taps: number, bias = false): number {
  return (bias ? 4 : 0) + 4 * Math.floor(taps / 2) + (taps % 2 ? 2 : 0);
}

/**
 * Kernel [filters = cin][taps] (filter-major) as the words the SIMD loops read: per group of four channels,
 * per tap pair (t, t+1) one int16 pair (k[c][t], k[c][t+1]) for c = 0, 1, 2, 3 of the group; for an odd
 * last tap the pairs (k[c0], k[c2]) and (k[c1], k[c3]). With `bias`, each group starts with its four
 * channels' bias words (the accumulators' initial values).
 */
export function packDepthwise(kernel: ArrayLike<number>, cin: number, taps: number, bias?: ArrayLike<number>): Int32Array {
  const groups = Math.floor(cin / 4);
  const perGroup = depthwiseGroupWords(taps, bias !== undefined);
  const out = new Int32Array(groups * perGroup);
  const pair = (lo: number, hi: number) => ((lo & 0xffff) | (hi << 16)) | 0;
  const k = (c: number, t: number) => kernel[c * taps + t];
  let i = 0;
  for (let g = 0; g < groups; g++) {
    const c = 4 * g;
    if (bias) for (let j = 0; j < 4; j++) out[i++] = bias[c + j];
    for (let t = 0; t + 1 < taps; t += 2) for (let j = 0; j < 4; j++) out[i++] = pair(k(c + j, t), k(c + j, t + 1));
    if (taps % 2) {
      out[i++] = pair(k(c, taps - 1), k(c + 2, taps - 1));
      out[i++] = pair(k(c + 1, taps - 1), k(c + 3, taps - 1));
    }
  }
  return out;
}

/**
 * Loop body statements over every output pixel. `kernelWords` names the packed words, `kernelScalar` the
 * filter-major kernel (for the channels past the last group of four, undefined when there are none);
 * `init(acc, c)` declares an accumulator with its bias, `store(acc, c)` writes output channel c of the
 * current pixel (oy, ox).
 */
export function depthwiseSimdLoops(s: DepthwiseShape, kernelWords: string, kernelScalar: string | undefined, init: (acc: string, c: string) => string, store: (acc: string, c: string) => string[], biasInWords = false): string[] {
  const { h, w, cin, oh, ow, kh, kw, sh, sw, ph, pw } = s;
  const taps = kh * kw;
  const vectorChannels = Math.floor(cin / 4) * 4;
  const needsBorder = ph > 0 || pw > 0;
  const groupWords = depthwiseGroupWords(taps, biasInWords);
  const wrap = (acc: string, product: string) => `${acc} = (mote_acc_t)((mote_uacc_t)${acc} + (mote_uacc_t)(${product}));`;

  /**
   * The channel loops; `tap(t, c)` is the address of channel c (an expression) of tap t. With `steps`
   * each tap pair is one asm step: an array of offsets (interior windows: tap t at byte offset steps[t]
   * from `x + c`; MOTE_DW_PAIR), or 'pointers' (border windows: tap t at tp[t] + c; MOTE_DW_PAIR_AT).
   */
  const channels = (tap: (t: number, c: string) => string, ind: string, steps?: (number | undefined)[] | 'pointers'): string[] => {
    const offsets = Array.isArray(steps) ? steps : undefined;
    const lines: string[] = [];
    if (vectorChannels > 0) {
      lines.push(`${ind}const int32_t *k = ${kernelWords};`);
      lines.push(`${ind}for (int c = 0; c < ${vectorChannels}; c += 4) {`);
      const i = `${ind}  `;
      if (biasInWords) lines.push(`${i}mote_acc_t a0, a1, a2, a3;`, `${i}MOTE_DW_BIAS(k);`);
      else lines.push(...['a0', 'a1', 'a2', 'a3'].map((a, j) => `${i}${init(a, j ? `c + ${j}` : 'c')}`));
      let word = biasInWords ? 4 : 0;
      if (offsets) {
        // A tap whose offset is undefined lies in the padding (a border class): its products are zero.
        const at = (t: number) => offsets[t] !== undefined;
        if (offsets.some((o) => o !== undefined)) lines.push(`${i}const model_number_t *xc = x + c;`);
        for (let t = 0; t + 1 < taps; t += 2, word += 4) {
          if (at(t) && at(t + 1)) lines.push(`${i}MOTE_DW_PAIR(xc, k, ${offsets[t]}, ${offsets[t + 1]}, ${4 * word});`);
          else if (at(t)) lines.push(`${i}MOTE_DW_ONE_LO(xc, k, ${offsets[t]}, ${4 * word});`);
          else if (at(t + 1)) lines.push(`${i}MOTE_DW_ONE_HI(xc, k, ${offsets[t + 1]}, ${4 * word});`);
        }
        if (taps % 2 && at(taps - 1)) lines.push(`${i}MOTE_DW_LAST(xc, k, ${offsets[taps - 1]}, ${4 * word});`);
      } else if (steps === 'pointers') {
        for (let t = 0; t + 1 < taps; t += 2, word += 4) lines.push(`${i}MOTE_DW_PAIR_AT(tp, c, k, ${4 * t}, ${4 * word});`);
        if (taps % 2) lines.push(`${i}MOTE_DW_LAST_AT(tp, c, k, ${4 * (taps - 1)}, ${4 * word});`);
      }
      for (let t = 0; !steps && t + 1 < taps; t += 2) {
        lines.push(
          `${i}{`,
          `${i}  int32_t p, q;`,
          `${i}  memcpy(&p, ${tap(t, 'c')}, 4);`,
          `${i}  memcpy(&q, ${tap(t + 1, 'c')}, 4);`,
          `${i}  int32_t lo, hi;`,
          `${i}  MOTE_DW_PKHBT(lo, p, q);`,
          `${i}  MOTE_DW_PKHTB(hi, q, p);`,
          `${i}  a0 = MOTE_SMLAD(MOTE_SXTB16(lo), k[${word}], a0);`,
          `${i}  a1 = MOTE_SMLAD(MOTE_SXTB16_ROR8(lo), k[${word + 1}], a1);`,
          `${i}  a2 = MOTE_SMLAD(MOTE_SXTB16(hi), k[${word + 2}], a2);`,
          `${i}  a3 = MOTE_SMLAD(MOTE_SXTB16_ROR8(hi), k[${word + 3}], a3);`,
          `${i}  MOTE_DW_BARRIER();`,
          `${i}}`,
        );
        word += 4;
      }
      if (!steps && taps % 2) {
        // SMLABB / SMLATT: the low (high) halves of the unpacked input and of the weight pair.
        lines.push(
          `${i}{`,
          `${i}  int32_t p;`,
          `${i}  memcpy(&p, ${tap(taps - 1, 'c')}, 4);`,
          `${i}  const int32_t p02 = MOTE_SXTB16(p);`,
          `${i}  const int32_t p13 = MOTE_SXTB16_ROR8(p);`,
          `${i}  const int32_t w02 = k[${word}];`,
          `${i}  const int32_t w13 = k[${word + 1}];`,
          `${i}  ${wrap('a0', '(int32_t)(int16_t)p02 * (int16_t)w02')}`,
          `${i}  ${wrap('a2', '(p02 >> 16) * (w02 >> 16)')}`,
          `${i}  ${wrap('a1', '(int32_t)(int16_t)p13 * (int16_t)w13')}`,
          `${i}  ${wrap('a3', '(p13 >> 16) * (w13 >> 16)')}`,
          `${i}}`,
        );
      }
      lines.push(`${i}k += ${groupWords};`);
      lines.push(...['a0', 'a1', 'a2', 'a3'].flatMap((a, j) => store(a, j ? `c + ${j}` : 'c').map((l) => `${i}${l}`)));
      lines.push(`${ind}}`);
    }
    if (vectorChannels < cin) {
      lines.push(
        `${ind}for (int c = ${vectorChannels}; c < ${cin}; c++) {`,
        `${ind}  ${init('acc', 'c')}`,
        `${ind}  const model_number_t *kc = ${kernelScalar} + c * ${taps};`,
        ...Array.from({ length: taps }, (_, t) => t)
          .filter((t) => !offsets || offsets[t] !== undefined)
          .map((t) => `${ind}  acc = mote_mac(acc, (int32_t)*(${offsets ? `x + c + ${offsets[t]}` : tap(t, 'c')}) * kc[${t}]);`),
        ...store('acc', 'c').map((l) => `${ind}  ${l}`),
        `${ind}}`,
      );
    }
    return lines;
  };

  const origin = `((oy * ${sh} - ${ph}) * ${w} + ox * ${sw} - ${pw}) * ${cin}`;
  const offsetOf = (t: number) => Math.floor(t / kw) * w * cin + (t % kw) * cin;
  const interior = (t: number, c: string) => `x + ${c} + ${offsetOf(t)}`;
  // LDR's immediate offset reaches 4095 bytes; beyond, interior windows take the C loops too.
  const offsets = offsetOf(taps - 1) <= 4095 && 4 * groupWords <= 4095 ? Array.from({ length: taps }, (_, t) => offsetOf(t)) : undefined;
  const lines: string[] = [
    // PKHBT/PKHTB (gcc 12 spells the masks as four instructions and ACLE has no intrinsic) and a compiler
    // barrier between tap pairs: without it gcc hoists every tap's loads to the top and spills the unpacked
    // words to the stack. Defined for this function only, with the portable equivalents elsewhere.
    '#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__GNUC__)',
    '#define MOTE_DW_PKHBT(r, a, b) __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(a), "r"(b))',
    '#define MOTE_DW_PKHTB(r, a, b) __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(a), "r"(b))',
    '#define MOTE_DW_BARRIER() __asm__ volatile("" ::: "memory")',
    '#define MOTE_DW_USAT(x) __usat((x), 7)',
    // The group's four bias words, back to back (pipelined loads).
    '#define MOTE_DW_BIAS(k) __asm__ volatile("ldr %[a0], [%[kp]]\\n\\t" "ldr %[a1], [%[kp], #4]\\n\\t" "ldr %[a2], [%[kp], #8]\\n\\t" "ldr %[a3], [%[kp], #12]" : [a0] "=&r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3) : [kp] "r"(k) : "memory")',
    ...pairAsm,
    '#else',
    '#define MOTE_DW_PKHBT(r, a, b) ((r) = (int32_t)(((uint32_t)(a) & 0xffffu) | ((uint32_t)(b) << 16)))',
    '#define MOTE_DW_PKHTB(r, a, b) ((r) = (int32_t)(((uint32_t)(a) & 0xffff0000u) | ((uint32_t)(b) >> 16)))',
    '#define MOTE_DW_BARRIER() ((void)0)',
    '#define MOTE_DW_USAT(x) ((x) < 0 ? 0 : (x) > 127 ? 127 : (x))',
    '#define MOTE_DW_BIAS(k) (a0 = (k)[0], a1 = (k)[1], a2 = (k)[2], a3 = (k)[3])',
    ...pairPortable,
    '#endif',
  ];
  if (needsBorder && !offsets) lines.push(`  static const model_number_t zeros[${cin}] = {0};`);
  if (!needsBorder || !offsets) lines.push(`  for (int oy = 0; oy < ${oh}; oy++) {`, `    for (int ox = 0; ox < ${ow}; ox++) {`);
  if (!needsBorder) {
    lines.push(`      const model_number_t *x = in0 + ${origin};`, ...channels(interior, '      ', offsets));
  } else if (offsets) {
    // Border windows by class: the output rows (columns) whose window keeps the same kernel rows (columns)
    // inside the input form one loop, so each class knows at compile time which taps lie in the padding and
    // skips them (a pair with one tap left takes SMLA<x><y> on that tap's half of the weight words); the
    // window's first tap inside is the base, the others at non-negative offsets from it.
    const ranges = (count: number, stride: number, pad: number, k: number, size: number) => {
      const out: { from: number; to: number; keep: number[] }[] = [];
      for (let o = 0; o < count; o++) {
        const keep = Array.from({ length: k }, (_, j) => j).filter((j) => o * stride + j - pad >= 0 && o * stride + j - pad < size);
        const last = out[out.length - 1];
        if (last && last.keep.join() === keep.join()) last.to = o + 1;
        else out.push({ from: o, to: o + 1, keep });
      }
      return out;
    };
    for (const rows of ranges(oh, sh, ph, kh, h)) {
      lines.push(`  for (int oy = ${rows.from}; oy < ${rows.to}; oy++) {`);
      for (const cols of ranges(ow, sw, pw, kw, w)) {
        const y0 = rows.keep[0] ?? 0;
        const x0 = cols.keep[0] ?? 0;
        const steps = Array.from({ length: taps }, (_, t) => {
          const ky = Math.floor(t / kw), kx = t % kw;
          return rows.keep.includes(ky) && cols.keep.includes(kx) ? (ky - y0) * w * cin + (kx - x0) * cin : undefined;
        });
        const base = `((oy * ${sh} + ${y0 - ph}) * ${w} + ox * ${sw} + ${x0 - pw}) * ${cin}`;
        lines.push(
          `    for (int ox = ${cols.from}; ox < ${cols.to}; ox++) {`,
          ...(steps.some((o) => o !== undefined) ? [`      const model_number_t *x = in0 + ${base};`] : []),
          ...channels(interior, '      ', steps),
          '    }',
        );
      }
      lines.push('  }');
    }
  } else {
    lines.push(
      `      const int inside = oy * ${sh} - ${ph} >= 0 && oy * ${sh} - ${ph} + ${kh} <= ${h} && ox * ${sw} - ${pw} >= 0 && ox * ${sw} - ${pw} + ${kw} <= ${w};`,
      '      if (inside) {',
      `        const model_number_t *x = in0 + ${origin};`,
      ...channels(interior, '        ', offsets),
      '      } else {',
      `        const model_number_t *tp[${taps}];`,
      `        for (int ky = 0; ky < ${kh}; ky++) {`,
      `          const int iy = oy * ${sh} + ky - ${ph};`,
      `          for (int kx = 0; kx < ${kw}; kx++) {`,
      `            const int ix = ox * ${sw} + kx - ${pw};`,
      `            tp[ky * ${kw} + kx] = iy < 0 || iy >= ${h} || ix < 0 || ix >= ${w} ? zeros : in0 + (iy * ${w} + ix) * ${cin};`,
      '          }',
      '        }',
      ...channels((t, c) => `tp[${t}] + ${c}`, '        ', offsets && 'pointers'),
      '      }',
    );
  }
  if (!needsBorder || !offsets) lines.push('    }', '  }');
  lines.push('#undef MOTE_DW_BIAS', '#undef MOTE_DW_ONE_LO', '#undef MOTE_DW_ONE_HI', '#undef MOTE_DW_PKHBT', '#undef MOTE_DW_PKHTB', '#undef MOTE_DW_BARRIER', '#undef MOTE_DW_PAIR', '#undef MOTE_DW_LAST', '#undef MOTE_DW_PAIR_AT', '#undef MOTE_DW_LAST_AT', '#undef MOTE_DW_PAIR2', '#undef MOTE_DW_USAT');
  return lines;
}

// One tap pair of a window in one asm statement: the two input words and two of the four weight words
// load back to back (the Cortex-M4 pipelines neighbouring loads: 1 cycle each after the first), the other
// two later (five temporaries, so the loop's pointers stay in registers too), in registers gcc picks, then PKHBT/PKHTB, SXTB16 and SMLAD; left to itself gcc 12 hoists every tap's loads,
// spills, and spells the halves' packing in four instructions. `op`/`oq` are the taps' byte offsets from
// xc, `wo` the weights' byte offset from k (literals). MOTE_DW_LAST: the odd last tap (SMLABB, SMLATT).
const pairAsm = [
  '#define MOTE_DW_PAIR(xc, k, op, oq, wo) do { \\',
  '  int32_t p_, q_, lo_, w0_, w1_; \\',
  '  __asm__ volatile( \\',
  '    "ldr %[p], [%[x], #" #op "]\\n\\t" "ldr %[q], [%[x], #" #oq "]\\n\\t" \\',
  '    "ldr %[w0], [%[k], #(" #wo ")]\\n\\t" "ldr %[w1], [%[k], #(" #wo "+4)]\\n\\t" \\',
  '    "pkhbt %[lo], %[p], %[q], lsl #16\\n\\t" "pkhtb %[q], %[q], %[p], asr #16\\n\\t" \\',
  '    "sxtb16 %[p], %[lo]\\n\\t" "smlad %[a0], %[p], %[w0], %[a0]\\n\\t" \\',
  '    "sxtb16 %[p], %[lo], ror #8\\n\\t" "smlad %[a1], %[p], %[w1], %[a1]\\n\\t" \\',
  '    "ldr %[w0], [%[k], #(" #wo "+8)]\\n\\t" "ldr %[w1], [%[k], #(" #wo "+12)]\\n\\t" \\',
  '    "sxtb16 %[p], %[q]\\n\\t" "smlad %[a2], %[p], %[w0], %[a2]\\n\\t" \\',
  '    "sxtb16 %[p], %[q], ror #8\\n\\t" "smlad %[a3], %[p], %[w1], %[a3]" \\',
  '    : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [p] "=&r"(p_), [q] "=&r"(q_), [lo] "=&r"(lo_), \\',
  '      [w0] "=&r"(w0_), [w1] "=&r"(w1_) \\',
  '    : [x] "r"(xc), [k] "r"(k) : "memory"); \\',
  '} while (0)',
  '#define MOTE_DW_LAST(xc, k, op, wo) do { \\',
  '  int32_t p_, q_, w0_, w1_; \\',
  '  __asm__ volatile( \\',
  '    "ldr %[p], [%[x], #" #op "]\\n\\t" "ldr %[w0], [%[k], #(" #wo ")]\\n\\t" "ldr %[w1], [%[k], #(" #wo "+4)]\\n\\t" \\',
  '    "sxtb16 %[q], %[p]\\n\\t" "sxtb16 %[p], %[p], ror #8\\n\\t" \\',
  '    "smlabb %[a0], %[q], %[w0], %[a0]\\n\\t" "smlatt %[a2], %[q], %[w0], %[a2]\\n\\t" \\',
  '    "smlabb %[a1], %[p], %[w1], %[a1]\\n\\t" "smlatt %[a3], %[p], %[w1], %[a3]" \\',
  '    : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [p] "=&r"(p_), [q] "=&r"(q_), [w0] "=&r"(w0_), [w1] "=&r"(w1_) \\',
  '    : [x] "r"(xc), [k] "r"(k) : "memory"); \\',
  '} while (0)',
];

// One tap of a pair (the other in the padding): its input word unpacked to (c0, c2) and (c1, c3), each
// channel's weight the low (MOTE_DW_ONE_LO: tap t) or high (MOTE_DW_ONE_HI: tap t + 1) half of its word.
for (const [name, half] of [['MOTE_DW_ONE_LO', 'b'], ['MOTE_DW_ONE_HI', 't']] as const) {
  pairAsm.push(
    `#define ${name}(xc, k, op, wo) do { \\`,
    '  int32_t p_, q_, w0_, w1_, w2_, w3_; \\',
    '  __asm__ volatile( \\',
    '    "ldr %[p], [%[x], #" #op "]\\n\\t" "ldr %[w0], [%[k], #(" #wo ")]\\n\\t" "ldr %[w1], [%[k], #(" #wo "+4)]\\n\\t" \\',
    '    "ldr %[w2], [%[k], #(" #wo "+8)]\\n\\t" "ldr %[w3], [%[k], #(" #wo "+12)]\\n\\t" \\',
    '    "sxtb16 %[q], %[p]\\n\\t" "sxtb16 %[p], %[p], ror #8\\n\\t" \\',
    `    "smlab${half} %[a0], %[q], %[w0], %[a0]\\n\\t" "smlat${half} %[a2], %[q], %[w2], %[a2]\\n\\t" \\`,
    `    "smlab${half} %[a1], %[p], %[w1], %[a1]\\n\\t" "smlat${half} %[a3], %[p], %[w3], %[a3]" \\`,
    '    : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [p] "=&r"(p_), [q] "=&r"(q_), \\',
    '      [w0] "=&r"(w0_), [w1] "=&r"(w1_), [w2] "=&r"(w2_), [w3] "=&r"(w3_) \\',
    '    : [x] "r"(xc), [k] "r"(k) : "memory"); \\',
    '} while (0)',
  );
}

// The border steps: tap t's pointer at byte offset `to` of tp (then channel c, a register, from it).
pairAsm.push(
  '#define MOTE_DW_PAIR_AT(tp, c, k, to, wo) do { \\',
  '  int32_t p_, q_, lo_, w0_, w1_; \\',
  '  __asm__ volatile( \\',
  '    "ldr %[p], [%[t], #(" #to ")]\\n\\t" "ldr %[q], [%[t], #(" #to "+4)]\\n\\t" \\',
  '    "ldr %[p], [%[p], %[c]]\\n\\t" "ldr %[q], [%[q], %[c]]\\n\\t" \\',
  '    "ldr %[w0], [%[k], #(" #wo ")]\\n\\t" "ldr %[w1], [%[k], #(" #wo "+4)]\\n\\t" \\',
  '    "pkhbt %[lo], %[p], %[q], lsl #16\\n\\t" "pkhtb %[q], %[q], %[p], asr #16\\n\\t" \\',
  '    "sxtb16 %[p], %[lo]\\n\\t" "smlad %[a0], %[p], %[w0], %[a0]\\n\\t" \\',
  '    "sxtb16 %[p], %[lo], ror #8\\n\\t" "smlad %[a1], %[p], %[w1], %[a1]\\n\\t" \\',
  '    "ldr %[w0], [%[k], #(" #wo "+8)]\\n\\t" "ldr %[w1], [%[k], #(" #wo "+12)]\\n\\t" \\',
  '    "sxtb16 %[p], %[q]\\n\\t" "smlad %[a2], %[p], %[w0], %[a2]\\n\\t" \\',
  '    "sxtb16 %[p], %[q], ror #8\\n\\t" "smlad %[a3], %[p], %[w1], %[a3]" \\',
  '    : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [p] "=&r"(p_), [q] "=&r"(q_), [lo] "=&r"(lo_), \\',
  '      [w0] "=&r"(w0_), [w1] "=&r"(w1_) \\',
  '    : [t] "r"(tp), [c] "r"(c), [k] "r"(k) : "memory"); \\',
  '} while (0)',
  '#define MOTE_DW_LAST_AT(tp, c, k, to, wo) do { \\',
  '  int32_t p_, q_, w0_, w1_; \\',
  '  __asm__ volatile( \\',
  '    "ldr %[p], [%[t], #(" #to ")]\\n\\t" "ldr %[p], [%[p], %[c]]\\n\\t" \\',
  '    "ldr %[w0], [%[k], #(" #wo ")]\\n\\t" "ldr %[w1], [%[k], #(" #wo "+4)]\\n\\t" \\',
  '    "sxtb16 %[q], %[p]\\n\\t" "sxtb16 %[p], %[p], ror #8\\n\\t" \\',
  '    "smlabb %[a0], %[q], %[w0], %[a0]\\n\\t" "smlatt %[a2], %[q], %[w0], %[a2]\\n\\t" \\',
  '    "smlabb %[a1], %[p], %[w1], %[a1]\\n\\t" "smlatt %[a3], %[p], %[w1], %[a3]" \\',
  '    : [a0] "+r"(a0), [a1] "+r"(a1), [a2] "+r"(a2), [a3] "+r"(a3), [p] "=&r"(p_), [q] "=&r"(q_), [w0] "=&r"(w0_), [w1] "=&r"(w1_) \\',
  '    : [t] "r"(tp), [c] "r"(c), [k] "r"(k) : "memory"); \\',
  '} while (0)',
);

// The same integers in C (hosts, and Arm cores without the DSP extension).
const pairPortable = [
  '#define MOTE_DW_PAIR(xc, k, op, oq, wo) MOTE_DW_PAIR2((xc) + (op), (xc) + (oq), k, wo)',
  '#define MOTE_DW_PAIR2(xp, xq, k, wo) do { \\',
  '  int32_t p_, q_, lo_, hi_; \\',
  '  memcpy(&p_, (xp), 4); \\',
  '  memcpy(&q_, (xq), 4); \\',
  '  MOTE_DW_PKHBT(lo_, p_, q_); \\',
  '  MOTE_DW_PKHTB(hi_, q_, p_); \\',
  '  a0 = MOTE_SMLAD(MOTE_SXTB16(lo_), (k)[(wo) / 4], a0); \\',
  '  a1 = MOTE_SMLAD(MOTE_SXTB16_ROR8(lo_), (k)[(wo) / 4 + 1], a1); \\',
  '  a2 = MOTE_SMLAD(MOTE_SXTB16(hi_), (k)[(wo) / 4 + 2], a2); \\',
  '  a3 = MOTE_SMLAD(MOTE_SXTB16_ROR8(hi_), (k)[(wo) / 4 + 3], a3); \\',
  '} while (0)',
  '#define MOTE_DW_LAST(xc, k, op, wo) do { \\',
  '  int32_t p_; \\',
  '  memcpy(&p_, (xc) + (op), 4); \\',
  '  const int32_t p02_ = MOTE_SXTB16(p_), p13_ = MOTE_SXTB16_ROR8(p_); \\',
  '  const int32_t w02_ = (k)[(wo) / 4], w13_ = (k)[(wo) / 4 + 1]; \\',
  '  a0 = (mote_acc_t)((mote_uacc_t)a0 + (mote_uacc_t)((int32_t)(int16_t)p02_ * (int16_t)w02_)); \\',
  '  a2 = (mote_acc_t)((mote_uacc_t)a2 + (mote_uacc_t)((p02_ >> 16) * (w02_ >> 16))); \\',
  '  a1 = (mote_acc_t)((mote_uacc_t)a1 + (mote_uacc_t)((int32_t)(int16_t)p13_ * (int16_t)w13_)); \\',
  '  a3 = (mote_acc_t)((mote_uacc_t)a3 + (mote_uacc_t)((p13_ >> 16) * (w13_ >> 16))); \\',
  '} while (0)',
];

// One tap of a pair in C: the low (tap t) or high (tap t + 1) half of each channel's weight word.
for (const [name, half] of [['MOTE_DW_ONE_LO', '(int32_t)(int16_t)'], ['MOTE_DW_ONE_HI', '']] as const) {
  const w = (j: number) => (half ? `${half}(k)[(wo) / 4 + ${j}]` : `((k)[(wo) / 4 + ${j}] >> 16)`);
  pairPortable.push(
    `#define ${name}(xc, k, op, wo) do { \\`,
    '  int32_t p_; \\',
    '  memcpy(&p_, (xc) + (op), 4); \\',
    '  const int32_t p02_ = MOTE_SXTB16(p_), p13_ = MOTE_SXTB16_ROR8(p_); \\',
    `  a0 = (mote_acc_t)((mote_uacc_t)a0 + (mote_uacc_t)((int32_t)(int16_t)p02_ * ${w(0)})); \\`,
    `  a2 = (mote_acc_t)((mote_uacc_t)a2 + (mote_uacc_t)((p02_ >> 16) * ${w(2)})); \\`,
    `  a1 = (mote_acc_t)((mote_uacc_t)a1 + (mote_uacc_t)((int32_t)(int16_t)p13_ * ${w(1)})); \\`,
    `  a3 = (mote_acc_t)((mote_uacc_t)a3 + (mote_uacc_t)((p13_ >> 16) * ${w(3)})); \\`,
    '} while (0)',
  );
}

// Border steps in C: the pair step from two tap pointers (each already at channel c).
pairPortable.push(
  '#define MOTE_DW_PAIR_AT(tp, c, k, to, wo) MOTE_DW_PAIR2((tp)[(to) / 4] + (c), (tp)[(to) / 4 + 1] + (c), k, wo)',
  '#define MOTE_DW_LAST_AT(tp, c, k, to, wo) MOTE_DW_LAST((tp)[(to) / 4] + (c), k, 0, wo)',
);

/** Whether the SIMD depthwise loops apply: int8 SMLAD dialect with packed weights, one filter per input
 * channel, at least one group of four channels and two taps. */
export function depthwiseSimdApplies(layer: ConvLayer, ctx: CEmitContext, cin: number, filters: number, taps: number): boolean {
  return ctx.dialect === 'cortex-m' && ctx.number === 'int8' && ctx.longWidth === 32 && ctx.packInt8Weights
    && layer.groups === cin && filters === cin && cin >= 4 && taps >= 2;
}

// ---------------------------------------------------------------------------------------------------------
// 3×3 stride-1 depthwise with padding 1, one channel at a time on an int16 plane. SMLAD pairs *horizontal*
// taps of one channel, so the channel's input is first sign-extended into a static int16 plane with a zero
// border (one LDRSB + STRH per value; the border is never written), where every aligned word holds two
// neighbouring columns. The channel's nine weights sit in six registers as int16 pairs per kernel row,
// A = (k0, k1) and B = (k1, k2), and one asm step computes a block of 2 rows × 2 columns of outputs: per input
// row two words U = (x, x+1), V = (x+2, x+3) give column x as SMLAD(U, A) + SMLABT(V, B) and column x+1 as
// SMLATB(U, A) + SMLAD(V, B), each input row feeding the one or two output rows it belongs to (8 loads,
// 24 multiplies, 36 MACs). Accumulators start at the channel's bias with the rounding addend folded in (where
// no sum can leave 32 bits, checked per channel), and each output is one SSAT (USAT for a fused ReLU) with the
// shift, stored with an immediate offset: a whole row pair is one asm statement, unrolled over the columns.

export interface DepthwisePlanePlan {
  h: number; w: number; c: number;
  shift: number;
  relu: boolean;
  /** Per channel: A0, B0, A1, B1, A2, B2 (int16 pairs) and the bias word with the rounding addend. */
  words: Int32Array;
}

/** Halfwords per plane row: the input row between two zero columns, rounded up to whole words. */
const planeRow = (w: number) => 2 * Math.ceil((w + 2) / 2);

/**
 * The plan when the plane loops apply: 3×3, stride 1, padding 1, one filter per channel, int8 with 32-bit
 * accumulators, linear or ReLU, 0 < shift ≤ 24, every channel's sum + bias + addend provably inside 32 bits and
 * every offset within an LDR/STRB immediate. `kernel` is filter-major [c][9].
 */
export function depthwisePlanePlan(opts: {
  s: DepthwiseShape; activation: string; shift: number; round: RoundMode; bias: ArrayLike<number> | undefined; kernel: ArrayLike<number>;
}): DepthwisePlanePlan | undefined {
  const { s, activation, shift, round, bias, kernel } = opts;
  if (s.kh !== 3 || s.kw !== 3 || s.sh !== 1 || s.sw !== 1 || s.ph !== 1 || s.pw !== 1 || s.oh !== s.h || s.ow !== s.w || s.w < 2) return undefined;
  if (activation !== 'linear' && activation !== 'relu') return undefined;
  if (!(shift > 0 && shift <= 24)) return undefined;
  const addend = roundingAddend(shift, round);
  if (activation === 'relu' && !(addend >= 0 && addend < 2 ** shift)) return undefined;
  if (2 * s.w * s.cin > 4095 || 2 * (3 * planeRow(s.w) + s.w + 2) > 4095 || s.w * s.cin > 4095) return undefined;
  const words = new Int32Array(7 * s.cin);
  const pair = (lo: number, hi: number) => ((lo & 0xffff) | (hi << 16)) | 0;
  for (let c = 0; c < s.cin; c++) {
    const k = (ky: number, kx: number) => kernel[c * 9 + ky * 3 + kx];
    const b = (bias ? bias[c] : 0) + addend;
    let reach = Math.abs(b);
    for (let t = 0; t < 9; t++) reach += 128 * Math.abs(kernel[c * 9 + t]);
    if (reach > 2 ** 31 - 1) return undefined;
    for (let ky = 0; ky < 3; ky++) {
      words[7 * c + 2 * ky] = pair(k(ky, 0), k(ky, 1));
      words[7 * c + 2 * ky + 1] = pair(k(ky, 1), k(ky, 2));
    }
    words[7 * c + 6] = b;
  }
  return { h: s.h, w: s.w, c: s.cin, shift, relu: activation === 'relu', words };
}

/**
 * Asm lines (C string literals) of one output row pair (`rows` 2) or last row (`rows` 1), plane row 0 at `e`;
 * plane rows in `zero` (relative to e) are the zero border: their loads and products are left out.
 */
function planeRowAsm(plan: DepthwisePlanePlan, rows: 1 | 2, zero: number[] = []): string[] {
  const { w, c, shift, relu } = plan;
  const rowBytes = 2 * planeRow(w);
  const body: string[] = [];
  const sat = (a: string) => esc(relu ? `usat %[${a}], #7, %[${a}], asr #${shift}` : `ssat %[${a}], #8, %[${a}], asr #${shift}`);
  for (let x = 0; x < w; x += 2) {
    const two = x + 1 < w;
    const accs = rows === 2 ? (two ? ['a00', 'a01', 'a10', 'a11'] : ['a00', 'a10']) : two ? ['a00', 'a01'] : ['a00'];
    for (const a of accs) body.push(esc(`ldr %[${a}], %[bias]`));
    for (let j = 0; j < rows + 2; j++) {
      if (zero.includes(j)) continue;
      body.push(esc(`ldr %[u], [%[e], #${j * rowBytes + 2 * x}]`));
      if (two) body.push(esc(`ldr %[v], [%[e], #${j * rowBytes + 2 * x + 4}]`));
      for (let r = 0; r < rows; r++) {
        const ky = j - r;
        if (ky < 0 || ky > 2) continue;
        const A = `%[A${ky}]`, B = `%[B${ky}]`;
        body.push(esc(`smlad %[a${r}0], %[u], ${A}, %[a${r}0]`));
        if (two) {
          body.push(esc(`smlabt %[a${r}0], %[v], ${B}, %[a${r}0]`));
          body.push(esc(`smlatb %[a${r}1], %[u], ${A}, %[a${r}1]`));
          body.push(esc(`smlad %[a${r}1], %[v], ${B}, %[a${r}1]`));
        }
      }
    }
    for (const a of accs) body.push(sat(a));
    for (const a of accs) {
      const at = (Number(a[1]) * w + x + Number(a[2])) * c;
      body.push(esc(`strb %[${a}], [%[o], #${at}]`));
    }
  }
  const accs = rows === 2 ? ['a00', 'a01', 'a10', 'a11'] : ['a00', 'a01'];
  return [
    '__asm__ volatile(',
    ...body.map((l) => `  ${l}`),
    `  : ${[...accs, 'u', 'v'].map((a) => `[${a}] "=&r"(${a})`).join(', ')}`,
    '  : [e] "r"(e), [o] "r"(o), [A0] "r"(A0), [B0] "r"(B0), [A1] "r"(A1), [B1] "r"(B1), [A2] "r"(A2), [B2] "r"(B2), [bias] "m"(bias)',
    '  : "memory");',
  ];
}

/** Asm of one input row's expansion: value x of channel `ch` (s + x·c) to plane halfword x (d + 2x). */
function expandAsm(w: number, c: number): string[] {
  const body: string[] = [];
  for (let x0 = 0; x0 < w; x0 += 4) {
    const n = Math.min(4, w - x0);
    for (let i = 0; i < n; i++) body.push(esc(`ldrsb %[t${i}], [%[s], #${(x0 + i) * c}]`));
    for (let i = 0; i < n; i++) body.push(esc(`strh %[t${i}], [%[d], #${2 * (x0 + i)}]`));
  }
  return [
    '__asm__ volatile(',
    ...body.map((l) => `  ${l}`),
    '  : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3)',
    '  : [s] "r"(s), [d] "r"(d) : "memory");',
  ];
}

/** The layer body: `in0` [h][w][c] into `out` [h][w][c], packed words (depthwisePlanePlan) at `kernel`. */
export function depthwisePlaneLoops(plan: DepthwisePlanePlan, kernel: string): string[] {
  const { h, w, c, shift, relu } = plan;
  const row = planeRow(w);
  const pairs = Math.floor(h / 2);
  const sat = (a: string) => (relu ? `${a} >> ${shift} < 0 ? 0 : ${a} >> ${shift} > 127 ? 127 : ${a} >> ${shift}` : `MOTE_SSAT(${a} >> ${shift})`);
  return [
    // Zero-initialised and never written at its border (row 0, row h + 1, column 0, columns past w): the padding.
    `  static int32_t planew[${((h + 2) * row) / 2}];`,
    '  int16_t *plane = (int16_t *)planew;',
    `  const int32_t *k = ${kernel};`,
    `  for (int ch = 0; ch < ${c}; ch++, k += 7) {`,
    '#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__GNUC__)',
    // One LDRSB + STRH per value in bursts of four (each load/store after another pipelines: 1 cycle).
    `    for (int y = 0; y < ${h}; y++) {`,
    `      const model_number_t *s = in0 + y * ${w * c} + ch;`,
    `      int16_t *d = plane + (y + 1) * ${row} + 1;`,
    '      int32_t t0, t1, t2, t3;',
    ...expandAsm(w, c).map((l) => `      ${l}`),
    '    }',
    '    const int32_t A0 = k[0], B0 = k[1], A1 = k[2], B1 = k[3], A2 = k[4], B2 = k[5];',
    '    int32_t bias = k[6];',
    '    const int32_t *e = planew;',
    '    model_number_t *o = out + ch;',
    // The first row pair (and the last one of an even height) reads a zero border row: its own step without it.
    ...Array.from({ length: pairs }, (_, r) => r)
      .filter((r) => r === 0 || r === pairs - 1 || r === 1)
      .flatMap((r) => {
        const zero = [...(r === 0 ? [0] : []), ...(r === pairs - 1 && h % 2 === 0 ? [3] : [])];
        const middle = r === 1 && pairs > 2;
        const head = middle ? `    for (int r = 1; r < ${pairs - 1}; r++, e += ${row}, o += ${2 * w * c}) {` : '    {';
        if (r === 1 && !middle && r !== pairs - 1) return [];
        return [
          head,
          '      int32_t a00, a01, a10, a11, u, v;',
          ...planeRowAsm(plan, 2, middle ? [] : zero).map((l) => `      ${l}`),
          ...(middle ? [] : [`      e += ${row}; o += ${2 * w * c};`]),
          '    }',
        ];
      }),
    ...(h % 2
      ? ['    {', '      int32_t a00, a01, u, v;', ...planeRowAsm(plan, 1, pairs === 0 ? [0, 2] : [2]).map((l) => `      ${l}`), '    }']
      : []),
    '#else',
    `    for (int y = 0; y < ${h}; y++) {`,
    `      const model_number_t *s = in0 + y * ${w * c} + ch;`,
    `      int16_t *d = plane + (y + 1) * ${row} + 1;`,
    `      for (int x = 0; x < ${w}; x++) d[x] = s[x * ${c}];`,
    '    }',
    `    for (int y = 0; y < ${h}; y++) {`,
    `      for (int x = 0; x < ${w}; x++) {`,
    '        int32_t acc = k[6];',
    '        for (int ky = 0; ky < 3; ky++) {',
    `          const int16_t *p = plane + (y + ky) * ${row} + x;`,
    '          const int32_t a = k[2 * ky], b = k[2 * ky + 1];',
    '          acc = (int32_t)((uint32_t)acc + (uint32_t)(p[0] * (int16_t)a) + (uint32_t)(p[1] * (a >> 16)) + (uint32_t)(p[2] * (b >> 16)));',
    '        }',
    `        out[(y * ${w} + x) * ${c} + ch] = (model_number_t)(${sat('acc')});`,
    '      }',
    '    }',
    '#endif',
    '  }',
  ];
}

// ---------------------------------------------------------------------------------------------------------
// 3×3 stride-2 depthwise, one channel at a time straight from the input (no copy: each input value is used by
// only 2.25 outputs on average, so a sign-extended plane would cost about as much as it saves). The channel's
// nine weights sit in five registers as int16 halves; each output is nine SMLA<x><y> on LDRSB-loaded values
// (bottom halves), and the window's right column (kx = 2) of each kernel row stays in a register as the next
// output's left column (kx = 0), so an output loads six values, not nine. Taps in the padding are skipped at
// compile time (rows by class, columns per output: each output row is one asm statement, unrolled over the
// columns). Accumulators start at the bias with the rounding addend folded in (checked as for the planes),
// one SSAT/USAT with the shift and an immediate-offset STRB per output.

export interface DepthwiseStride2Plan {
  s: DepthwiseShape;
  shift: number;
  relu: boolean;
  /** Per channel: five words of int16 weight pairs (taps 2j, 2j + 1; the last one's high half 0) and the bias word. */
  words: Int32Array;
}

export function depthwiseStride2Plan(opts: {
  s: DepthwiseShape; activation: string; shift: number; round: RoundMode; bias: ArrayLike<number> | undefined; kernel: ArrayLike<number>;
}): DepthwiseStride2Plan | undefined {
  const { s, activation, shift, round, bias, kernel } = opts;
  if (s.kh !== 3 || s.kw !== 3 || s.sh !== 2 || s.sw !== 2 || s.ph > 1 || s.pw > 1 || s.ph < 0 || s.pw < 0) return undefined;
  if (activation !== 'linear' && activation !== 'relu') return undefined;
  if (!(shift > 0 && shift <= 24)) return undefined;
  const addend = roundingAddend(shift, round);
  if (activation === 'relu' && !(addend >= 0 && addend < 2 ** shift)) return undefined;
  if (3 * s.w * s.cin > 4095 || s.ow * s.cin > 4095) return undefined;
  const words = new Int32Array(6 * s.cin);
  const pair = (lo: number, hi: number) => ((lo & 0xffff) | (hi << 16)) | 0;
  for (let c = 0; c < s.cin; c++) {
    const k = (t: number) => (t < 9 ? kernel[c * 9 + t] : 0);
    const b = (bias ? bias[c] : 0) + addend;
    let reach = Math.abs(b);
    for (let t = 0; t < 9; t++) reach += 128 * Math.abs(k(t));
    if (reach > 2 ** 31 - 1) return undefined;
    for (let j = 0; j < 5; j++) words[6 * c + j] = pair(k(2 * j), k(2 * j + 1));
    words[6 * c + 5] = b;
  }
  return { s, shift, relu: activation === 'relu', words };
}

/** Asm of one output row whose kernel rows `rows` lie inside the input, input row of the first at `i`. */
function stride2RowAsm(plan: DepthwiseStride2Plan, rows: number[]): string[] {
  const { s, shift, relu } = plan;
  const { w, cin, ow, pw } = s;
  const body: string[] = [];
  const y0 = rows[0];
  const at = (ky: number, col: number) => (ky - y0) * w * cin + col * cin;
  const mul = (acc: string, x: string, t: number) => esc(`smlab${t % 2 ? 't' : 'b'} %[${acc}], %[${x}], %[W${t >> 1}], %[${acc}]`);
  for (let ox = 0; ox < ow; ox++) {
    const col = (kx: number) => ox * 2 - pw + kx;
    const inside = (kx: number) => col(kx) >= 0 && col(kx) < w;
    body.push(esc('ldr %[a], %[bias]'));
    // Left column: carried from the previous output's right column, or loaded here for the first output.
    const carried = ox > 0;
    for (const ky of rows) {
      if (!carried && inside(0)) body.push(esc(`ldrsb %[c${ky}], [%[i], #${at(ky, col(0))}]`));
      if (inside(1)) body.push(esc(`ldrsb %[t${ky}], [%[i], #${at(ky, col(1))}]`));
    }
    for (const ky of rows) {
      if (inside(0)) body.push(mul('a', `c${ky}`, 3 * ky));
      if (inside(1)) body.push(mul('a', `t${ky}`, 3 * ky + 1));
    }
    if (inside(2)) {
      for (const ky of rows) body.push(esc(`ldrsb %[c${ky}], [%[i], #${at(ky, col(2))}]`));
      for (const ky of rows) body.push(mul('a', `c${ky}`, 3 * ky + 2));
    }
    body.push(esc(relu ? `usat %[a], #7, %[a], asr #${shift}` : `ssat %[a], #8, %[a], asr #${shift}`));
    body.push(esc(`strb %[a], [%[o], #${ox * cin}]`));
  }
  return [
    '__asm__ volatile(',
    ...body.map((l) => `  ${l}`),
    '  : [a] "=&r"(a), [c0] "=&r"(c0), [c1] "=&r"(c1), [c2] "=&r"(c2), [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2)',
    '  : [i] "r"(i), [o] "r"(o), [W0] "r"(W0), [W1] "r"(W1), [W2] "r"(W2), [W3] "r"(W3), [W4] "r"(W4), [bias] "m"(bias)',
    '  : "memory");',
  ];
}

export function depthwiseStride2Loops(plan: DepthwiseStride2Plan, kernel: string): string[] {
  const { s, shift, relu } = plan;
  const { h, w, cin, oh, ow, ph, pw } = s;
  const classes: { from: number; to: number; rows: number[] }[] = [];
  for (let oy = 0; oy < oh; oy++) {
    const rows = [0, 1, 2].filter((ky) => oy * 2 - ph + ky >= 0 && oy * 2 - ph + ky < h);
    const last = classes[classes.length - 1];
    if (last && last.rows.join() === rows.join()) last.to = oy + 1;
    else classes.push({ from: oy, to: oy + 1, rows });
  }
  const sat = (a: string) => (relu ? `${a} >> ${shift} < 0 ? 0 : ${a} >> ${shift} > 127 ? 127 : ${a} >> ${shift}` : `MOTE_SSAT(${a} >> ${shift})`);
  const lines = [
    `  const int32_t *k = ${kernel};`,
    `  for (int ch = 0; ch < ${cin}; ch++, k += 6) {`,
    '#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__GNUC__)',
    '    const int32_t W0 = k[0], W1 = k[1], W2 = k[2], W3 = k[3], W4 = k[4];',
    '    int32_t bias = k[5];',
  ];
  for (const cls of classes) {
    if (!cls.rows.length) continue;
    lines.push(
      `    for (int oy = ${cls.from}; oy < ${cls.to}; oy++) {`,
      `      const model_number_t *i = in0 + (oy * 2 + ${cls.rows[0] - ph}) * ${w * cin} + ch;`,
      `      model_number_t *o = out + oy * ${ow * cin} + ch;`,
      '      int32_t a, c0, c1, c2, t0, t1, t2;',
      ...stride2RowAsm(plan, cls.rows).map((l) => `      ${l}`),
      '    }',
    );
  }
  lines.push(
    '#else',
    `    for (int oy = 0; oy < ${oh}; oy++) {`,
    `      for (int ox = 0; ox < ${ow}; ox++) {`,
    '        int32_t acc = k[5];',
    '        for (int t = 0; t < 9; t++) {',
    `          const int iy = oy * 2 - ${ph} + t / 3, ix = ox * 2 - ${pw} + t % 3;`,
    `          if (iy < 0 || iy >= ${h} || ix < 0 || ix >= ${w}) continue;`,
    '          const int32_t wt = t % 2 ? k[t / 2] >> 16 : (int16_t)k[t / 2];',
    `          acc = (int32_t)((uint32_t)acc + (uint32_t)(in0[(iy * ${w} + ix) * ${cin} + ch] * wt));`,
    '        }',
    `        out[(oy * ${ow} + ox) * ${cin} + ch] = (model_number_t)(${sat('acc')});`,
    '      }',
    '    }',
    '#endif',
    '  }',
  );
  return lines;
}
