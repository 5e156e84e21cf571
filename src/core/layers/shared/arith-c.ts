// C spelling of the fixed-point arithmetic of fixed-point.ts, per dialect: the number helpers at the top
// of model.c (codegen/emit.ts) and the fragments the layers' C emitters share (dot products, rescaling).

import type { CNumberContext, Dialect, NumberFormat } from '../facets/c';
import { intLiteral } from './c-literals';
import { rangeOf, roundingAddend, type LongWidth, type RoundMode } from './fixed-point';

export function numberCType(number: NumberFormat): string {
  return number === 'float32' ? 'float' : number === 'int16' ? 'int16_t' : 'int8_t';
}

export function bitsOf(number: NumberFormat): number {
  return number === 'int8' ? 8 : number === 'int16' ? 16 : 32;
}

/** Whether the cortex-m dialect uses SMLAD for this model (32-bit wrap-around accumulators only). */
export function usesSimd(number: NumberFormat, dialect: Dialect, longWidth: LongWidth): boolean {
  return dialect === 'cortex-m' && ((number === 'int8' && longWidth === 32) || (number === 'int16' && (longWidth === 32 || longWidth === 64)));
}

/** The number helpers of model.c (fixed point), after the includes. */
export function numberHelpers(number: NumberFormat, dialect: Dialect, longWidth: LongWidth): string {
  if (number === 'float32') return '';
  const bits = bitsOf(number);
  const { min, max } = rangeOf(bits);
  const acc = longWidth === 16 ? ['int16_t', 'uint16_t'] : longWidth === 32 ? ['int32_t', 'uint32_t'] : ['int64_t', 'uint64_t'];
  const mac =
    longWidth === 16 ? 'return (mote_acc_t)((int32_t)acc + product); /* int16 wrap-around: implementation-defined conversion, modulo on gcc/clang */'
    : longWidth === 32 ? 'return (mote_acc_t)((mote_uacc_t)acc + (mote_uacc_t)product); /* wraps modulo 2^32 without signed overflow */'
    : 'return acc + (mote_acc_t)product;';
  // The comment still names fixed-point.ts's former path: the generated text is covered by MODEL_HASH and
  // the golden samples, so it changes only in a deliberate regeneration of both.
  const lines = [
    `/* Fixed point: ${bits}-bit numbers, ${longWidth}-bit accumulators (arithmetic: src/core/quantization/fixed-point.ts). */`,
    `typedef ${acc[0]} mote_acc_t;`,
    `typedef ${acc[1]} mote_uacc_t;`,
    'typedef int64_t mote_wide_t;',
    `#define MOTE_NUMBER_MIN (${min})`,
    `#define MOTE_NUMBER_MAX ${max}`,
    '',
    'static inline mote_acc_t mote_mac(mote_acc_t acc, int32_t product) {',
    `  ${mac}`,
    '}',
    '',
    'static inline model_number_t mote_saturate(mote_wide_t value) {',
    '  return value < MOTE_NUMBER_MIN ? MOTE_NUMBER_MIN : value > MOTE_NUMBER_MAX ? MOTE_NUMBER_MAX : (model_number_t)value;',
    '}',
    '',
    '/* value · 2^-shift, rounded by adding `addend` before an arithmetic right shift, then saturated. */',
    'static inline model_number_t mote_requantize(mote_wide_t value, int shift, mote_wide_t addend) {',
    '  if (shift > 0) return mote_saturate((value + addend) >> shift);',
    '  if (shift == 0) return mote_saturate(value);',
    '  if (value > ((mote_wide_t)MOTE_NUMBER_MAX >> -shift)) return MOTE_NUMBER_MAX;',
    '  if (value < -((mote_wide_t)(-(MOTE_NUMBER_MIN)) >> -shift)) return MOTE_NUMBER_MIN;',
    '  return (model_number_t)(value * ((mote_wide_t)1 << -shift));',
    '}',
  ];
  if (usesSimd(number, dialect, longWidth)) {
    const requantize64 = longWidth === 64
      ? [
          '',
          '/* mote_requantize for a 64-bit accumulator and 0 < shift <= 32 - bits: a value outside 32 bits is',
          ' * already beyond the number range after the shift (and the addend, < 2^shift, cannot bring it back);',
          ' * inside, the 32-bit saturating sum gives the same result (see the 32-bit rescaling in arith-c.ts). */',
          'static inline model_number_t mote_requantize64(int64_t value, int shift, int32_t addend) {',
          '  const int32_t lo = (int32_t)value;',
          '  const int32_t hi = (int32_t)(value >> 32);',
          '  if (hi != (lo >> 31)) return hi < 0 ? MOTE_NUMBER_MIN : MOTE_NUMBER_MAX;',
          '  return (model_number_t)MOTE_SSAT(MOTE_QADD(lo, addend) >> shift);',
          '}',
        ]
      : [];
    lines.push(
      '',
      '/* Armv7E-M DSP (Cortex-M4/M7) through ACLE; elsewhere the same integers from portable C. */',
      '#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP',
      '#include <arm_acle.h>',
      '#define MOTE_SMLAD(x, y, acc) __smlad((x), (y), (acc))',
      '#define MOTE_SMLALD(x, y, acc) __smlald((x), (y), (acc))',
      '#define MOTE_SXTB16(x) ((int32_t)__sxtb16(x))',
      '/* SXTB16 with its rotate operand: bytes 1 and 3, one instruction (ACLE has no such intrinsic in gcc 12). */',
      'static inline int32_t MOTE_SXTB16_ROR8(int32_t x) {',
      '  int32_t r;',
      '  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));',
      '  return r;',
      '}',
      '/* Keeps a packed-weight loop rolled at -O3 (fully unrolled, its unpacked inputs spill to the stack). */',
      '#if defined(__clang__)',
      '#define MOTE_ROLLED _Pragma("nounroll")',
      '#elif defined(__GNUC__)',
      '#define MOTE_ROLLED _Pragma("GCC unroll 1")',
      '#else',
      '#define MOTE_ROLLED',
      '#endif',
      '/* Packed weight words p[offset / 4] and p[offset / 4 + 1] (offset: a byte literal) in one LDRD. */',
      '#define MOTE_LOAD2(p, offset, a, b) __asm__("ldrd %0, %1, [%2, #" #offset "]" : "=r"(a), "=r"(b) : "r"(p), "m"(*(const int32_t(*)[2])((p) + (offset) / 4)))',
      `#define MOTE_SSAT(x) __ssat((x), ${bits})`,
      '#define MOTE_QADD(x, y) __qadd((x), (y))',
      '#else',
      'static inline int32_t MOTE_SMLAD(int32_t x, int32_t y, int32_t acc) {',
      '  int32_t lo = (int32_t)(int16_t)(uint16_t)((uint32_t)x & 0xffffu) * (int16_t)(uint16_t)((uint32_t)y & 0xffffu);',
      '  int32_t hi = (int32_t)(int16_t)(uint16_t)((uint32_t)x >> 16) * (int16_t)(uint16_t)((uint32_t)y >> 16);',
      '  return (int32_t)((uint32_t)acc + (uint32_t)lo + (uint32_t)hi);',
      '}',
      'static inline int64_t MOTE_SMLALD(int32_t x, int32_t y, int64_t acc) {',
      '  int32_t lo = (int32_t)(int16_t)(uint16_t)((uint32_t)x & 0xffffu) * (int16_t)(uint16_t)((uint32_t)y & 0xffffu);',
      '  int32_t hi = (int32_t)(int16_t)(uint16_t)((uint32_t)x >> 16) * (int16_t)(uint16_t)((uint32_t)y >> 16);',
      '  return acc + lo + hi;',
      '}',
      'static inline int32_t MOTE_SXTB16(int32_t x) {',
      '  uint32_t lo = (uint16_t)(int16_t)(int8_t)(uint8_t)((uint32_t)x & 0xffu);',
      '  uint32_t hi = (uint16_t)(int16_t)(int8_t)(uint8_t)(((uint32_t)x >> 16) & 0xffu);',
      '  return (int32_t)(lo | (hi << 16));',
      '}',
      'static inline int32_t MOTE_SSAT(int32_t x) { return x < MOTE_NUMBER_MIN ? MOTE_NUMBER_MIN : x > MOTE_NUMBER_MAX ? MOTE_NUMBER_MAX : x; }',
      'static inline int32_t MOTE_QADD(int32_t x, int32_t y) { int64_t s = (int64_t)x + y; return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t)s; }',
      'static inline int32_t MOTE_SXTB16_ROR8(int32_t x) { return MOTE_SXTB16((int32_t)(((uint32_t)x >> 8) | ((uint32_t)x << 24))); }',
      '#define MOTE_LOAD2(p, offset, a, b) ((a) = (p)[(offset) / 4], (b) = (p)[(offset) / 4 + 1])',
      '#define MOTE_ROLLED',
      '#endif',
      '',
      number === 'int16'
        ? `static inline mote_acc_t mote_dot2(const model_number_t *x, const model_number_t *w, mote_acc_t acc) {\n  int32_t a, b;\n  memcpy(&a, x, 4);\n  memcpy(&b, w, 4);\n  return ${longWidth === 64 ? 'MOTE_SMLALD' : 'MOTE_SMLAD'}(a, b, acc);\n}`
        : 'static inline mote_acc_t mote_dot4(const model_number_t *x, const model_number_t *w, mote_acc_t acc) {\n  int32_t a, b;\n  memcpy(&a, x, 4);\n  memcpy(&b, w, 4);\n  acc = MOTE_SMLAD(MOTE_SXTB16(a), MOTE_SXTB16(b), acc);\n  return MOTE_SMLAD(MOTE_SXTB16_ROR8(a), MOTE_SXTB16_ROR8(b), acc);\n}',
      '',
      '/* Two filters at once: each input word is loaded and unpacked once for both. */',
      number === 'int16'
        ? `static inline void mote_dot2x2(const model_number_t *x, const model_number_t *w0, const model_number_t *w1, mote_acc_t *acc0, mote_acc_t *acc1) {\n  int32_t a, b, c;\n  memcpy(&a, x, 4);\n  memcpy(&b, w0, 4);\n  memcpy(&c, w1, 4);\n  *acc0 = ${longWidth === 64 ? 'MOTE_SMLALD' : 'MOTE_SMLAD'}(a, b, *acc0);\n  *acc1 = ${longWidth === 64 ? 'MOTE_SMLALD' : 'MOTE_SMLAD'}(a, c, *acc1);\n}`
        : 'static inline void mote_dot4x2(const model_number_t *x, const model_number_t *w0, const model_number_t *w1, mote_acc_t *acc0, mote_acc_t *acc1) {\n  int32_t a, b, c;\n  memcpy(&a, x, 4);\n  memcpy(&b, w0, 4);\n  memcpy(&c, w1, 4);\n  const int32_t a02 = MOTE_SXTB16(a);\n  const int32_t a13 = MOTE_SXTB16_ROR8(a);\n  *acc0 = MOTE_SMLAD(a02, MOTE_SXTB16(b), *acc0);\n  *acc0 = MOTE_SMLAD(a13, MOTE_SXTB16_ROR8(b), *acc0);\n  *acc1 = MOTE_SMLAD(a02, MOTE_SXTB16(c), *acc1);\n  *acc1 = MOTE_SMLAD(a13, MOTE_SXTB16_ROR8(c), *acc1);\n}',
    );
    lines.push(...requantize64);
  }
  return lines.join('\n');
}

/** Statements adding Σ x[c]·w[c] for c < n to `acc` (x and w are pointer expressions). */
export function dotProduct(ctx: CNumberContext, n: number, x: string, w: string, acc: string, indent: string): string {
  if (ctx.number === 'float32') return `${indent}for (int c = 0; c < ${n}; c++) ${acc} += ${x}[c] * ${w}[c];`;
  const portable = (from: string) => `${indent}for (int c = ${from}; c < ${n}; c++) ${acc} = mote_mac(${acc}, (int32_t)${x}[c] * ${w}[c]);`;
  const step = ctx.number === 'int16' ? 2 : 4;
  if (!usesSimd(ctx.number, ctx.dialect, ctx.longWidth) || n < step) return portable('0');
  const vector = Math.floor(n / step) * step;
  const lines = [`${indent}for (int c = 0; c < ${vector}; c += ${step}) ${acc} = mote_dot${step}(${x} + c, ${w} + c, ${acc});`];
  if (vector < n) lines.push(portable(String(vector)));
  return lines.join('\n');
}

/** Whether `dotProduct2` pays off: the SIMD dialect and at least one full vector step. */
export function pairsFilters(ctx: CNumberContext, n: number): boolean {
  return usesSimd(ctx.number, ctx.dialect, ctx.longWidth) && n >= (ctx.number === 'int16' ? 2 : 4);
}

/** `dotProduct` for two weight vectors against the same input (acc0 += x·w0, acc1 += x·w1); SIMD dialect only. */
export function dotProduct2(ctx: CNumberContext, n: number, x: string, w0: string, w1: string, acc0: string, acc1: string, indent: string): string {
  const step = ctx.number === 'int16' ? 2 : 4;
  const vector = Math.floor(n / step) * step;
  const lines = [`${indent}for (int c = 0; c < ${vector}; c += ${step}) mote_dot${step}x2(${x} + c, ${w0} + c, ${w1} + c, &${acc0}, &${acc1});`];
  if (vector < n) {
    lines.push(`${indent}for (int c = ${vector}; c < ${n}; c++) {`);
    lines.push(`${indent}  ${acc0} = mote_mac(${acc0}, (int32_t)${x}[c] * ${w0}[c]);`);
    lines.push(`${indent}  ${acc1} = mote_mac(${acc1}, (int32_t)${x}[c] * ${w1}[c]);`);
    lines.push(`${indent}}`);
  }
  return lines.join('\n');
}

/** Fused activation on an accumulator variable (statements, possibly empty). */
export function activationStatements(ctx: CNumberContext, activation: string, acc: string, accFrac: number, indent: string, accMax: number): string {
  if (activation === 'linear') return '';
  const lines: string[] = [];
  if (ctx.number === 'float32') {
    lines.push(`${indent}if (${acc} < 0.0f) ${acc} = 0.0f;`);
    if (activation === 'relu6') lines.push(`${indent}if (${acc} > 6.0f) ${acc} = 6.0f;`);
    return lines.join('\n');
  }
  lines.push(`${indent}if (${acc} < 0) ${acc} = 0;`);
  if (activation === 'relu6') {
    const limit = Math.floor(6 * 2 ** accFrac);
    if (limit < accMax) lines.push(`${indent}if (${acc} > ${intLiteral(limit)}) ${acc} = ${intLiteral(limit)};`);
  }
  return lines.join('\n');
}

/** Largest value of the accumulator variable type (relu6 limits above it are no-ops). */
export function accumulatorMax(longWidth: LongWidth): number {
  return longWidth === 64 ? 2 ** 53 : 2 ** (longWidth - 1) - 1;
}

/** Expression of the rescaled, saturated output of an exact integer `value` (fixed point). */
export function requantizeExpr(ctx: CNumberContext, value: string, shift: number, round: RoundMode, fromAccumulator: boolean): string {
  const addend = roundingAddend(shift, round);
  if (shift > 0 && fromAccumulator && ctx.longWidth === 32 && usesSimd(ctx.number, ctx.dialect, ctx.longWidth)) {
    const bits = bitsOf(ctx.number);
    // A saturating 32-bit add is exact unless the sum passes 2^31 − 1, and then (2^31 − 1) >> shift still
    // saturates to the number range as long as shift ≤ 32 − bits: same result as the 64-bit sum, in 32 bits.
    if (shift <= 32 - bits) {
      const sum = addend === 0 ? value : `MOTE_QADD(${value}, ${intLiteral(addend)})`;
      return `(model_number_t)MOTE_SSAT(${sum} >> ${shift})`;
    }
    return `(model_number_t)MOTE_SSAT((int32_t)(((mote_wide_t)${value} + ${intLiteral(addend)}) >> ${shift}))`;
  }
  if (shift > 0 && shift <= 32 - bitsOf(ctx.number) && fromAccumulator && ctx.longWidth === 64 && usesSimd(ctx.number, ctx.dialect, ctx.longWidth)) {
    return `mote_requantize64(${value}, ${shift}, ${intLiteral(addend)})`;
  }
  return `mote_requantize(${value}, ${shift}, ${intLiteral(addend)})`;
}

/** Packed-weight layout of a model (`packWeights`, `packedDot`): inputs per 32-bit input word and the
 * largest block of filters that share one pass over the input (accumulators held in registers). */
export interface PackedLayout {
  lanes: 2 | 4;
  maxBlock: 2 | 4;
}

/** The packed layout the SIMD dialect uses for this model's Conv/Dense weights, or undefined (portable path).
 * int8: int16 pairs, so the weight bytes are not unpacked inside every MAC (two SXTB16 per SMLAD pair);
 * int16: pairs as they are, interleaved per filter block so two filters' words come in one LDRD. 64-bit
 * accumulators take two registers each: blocks of 2 filters, else 4. */
export function packedLayout(ctx: CNumberContext): PackedLayout | undefined {
  if (!usesSimd(ctx.number, ctx.dialect, ctx.longWidth)) return undefined;
  if (ctx.number === 'int8' && !ctx.packInt8Weights) return undefined;
  return ctx.number === 'int8' ? { lanes: 4, maxBlock: 4 } : { lanes: 2, maxBlock: ctx.longWidth === 64 ? 2 : 4 };
}

/** Filters (or Dense units) computed per pass over the input by `packedDot`: blocks of maxBlock, then smaller. */
function filterBlocks(filters: number, maxBlock: number): { start: number; size: number }[] {
  const blocks: { start: number; size: number }[] = [];
  let f = 0;
  for (const size of [4, 2, 1]) if (size <= maxBlock) for (; f + size <= filters; f += size) blocks.push({ start: f, size });
  return blocks;
}

/** 32-bit words per filter and row of n weights: one per input pair (lanes / 2 per group), one per leftover. */
function rowWords(n: number, lanes: number): number {
  return Math.floor(n / lanes) * (lanes / 2) + (n % lanes);
}

/**
 * Weights `w` ([filters][rows][n], row-major) as the 32-bit words `packedDot` reads, in its order: per block
 * of filters, per row, per group of `lanes` inputs c… and filter j of the block, the int16 pairs — int8:
 * (w[c], w[c+2]) and (w[c+1], w[c+3]), the halves SXTB16 and SXTB16 ror #8 give of the input word; int16:
 * (w[c], w[c+1]) — then, per leftover input and filter, the weight itself. A block starting at filter f
 * begins at word f·rows·rowWords(n).
 */
export function packWeights(w: ArrayLike<number>, filters: number, rows: number, n: number, layout: PackedLayout = { lanes: 4, maxBlock: 4 }): Int32Array {
  const { lanes, maxBlock } = layout;
  const out = new Int32Array(filters * rows * rowWords(n, lanes));
  const pair = (lo: number, hi: number) => ((lo & 0xffff) | (hi << 16)) | 0;
  let i = 0;
  for (const { start, size } of filterBlocks(filters, maxBlock)) {
    for (let r = 0; r < rows; r++) {
      const at = (j: number, c: number) => w[((start + j) * rows + r) * n + c];
      const vector = Math.floor(n / lanes) * lanes;
      for (let c = 0; c < vector; c += lanes) {
        for (let j = 0; j < size; j++) {
          if (lanes === 4) {
            out[i++] = pair(at(j, c), at(j, c + 2));
            out[i++] = pair(at(j, c + 1), at(j, c + 3));
          } else out[i++] = pair(at(j, c), at(j, c + 1));
        }
      }
      for (let c = vector; c < n; c++) for (let j = 0; j < size; j++) out[i++] = at(j, c);
    }
  }
  if (i !== out.length) throw new Error(`internal: packed ${i} weight words, expected ${out.length}`);
  return out;
}

/**
 * Statements computing every filter from packed weights (`packWeights`, array `kernel`): blocks of filters
 * share each input word, loaded (and for int8 unpacked: SXTB16, SXTB16 ror #8) once, with the accumulators
 * in registers. `row(r)` is the pointer expression of input row r (n contiguous values); `init` declares an
 * accumulator with its bias, `store` writes it (filter index expressions). Sums are either exact (64-bit)
 * or wrap modulo 2^32 (32-bit), so the order of the terms does not change the result.
 */
export function packedDot(opts: {
  layout: PackedLayout;
  longWidth: LongWidth;
  kernel: string;
  filters: number;
  rows: number;
  n: number;
  row: (r: string) => string;
  init: (acc: string, f: string) => string;
  store: (acc: string, f: string) => string[];
  indent: string;
}): string[] {
  const { layout, kernel, filters, rows, n, row, init, store, indent } = opts;
  const { lanes, maxBlock } = layout;
  const mac = opts.longWidth === 64 ? 'MOTE_SMLALD' : 'MOTE_SMLAD';
  const vector = Math.floor(n / lanes) * lanes;
  const perFilter = rows * rowWords(n, lanes);
  // Long rows stay a loop (gcc -O3 would unroll them fully and spill the unpacked inputs; for int16, with
  // nothing to unpack, only rows over 16 words lose by it), with two weight words per LDRD; short rows are
  // left to the compiler, which unrolls them and folds the offsets into the loads. Measured with
  // `node bench/inference/start.mjs headline` (ResNet, Getting Started CNN, Fashion CNN).
  const rolled = vector / lanes > (lanes === 4 ? 4 : 16);
  const block = (size: number, f: string, ind: string): string[] => {
    const accs = Array.from({ length: size }, (_, j) => `acc${j}`);
    const fj = (j: number) => (j === 0 ? f : /^\d+$/.test(f) ? String(Number(f) + j) : `${f} + ${j}`);
    // Input halves (one register each) and the weight word each accumulator takes with each of them.
    const halves = lanes === 4 ? ['v02', 'v13'] : ['v'];
    const words = size * halves.length;
    const wordOf = (j: number, h: number) => j * halves.length + h;
    const loads: string[] = [];
    const operand = (j: number, h: number) => (rolled ? `w${wordOf(j, h)}` : `k[${wordOf(j, h)}]`);
    if (rolled) {
      loads.push(`int32_t ${Array.from({ length: words }, (_, i) => `w${i}`).join(', ')};`);
      for (let i = 0; i + 1 < words; i += 2) loads.push(`MOTE_LOAD2(k, ${4 * i}, w${i}, w${i + 1});`);
      if (words % 2) loads.push(`w${words - 1} = k[${words - 1}];`);
    }
    const rowBody = (r: string, i: string): string[] => [
      `${i}const model_number_t *x = ${row(r)};`,
      ...(vector > 0
        ? [
            ...(rolled ? [`${i}MOTE_ROLLED`] : []),
            `${i}for (int c = 0; c < ${vector}; c += ${lanes}) {`,
            `${i}  int32_t v;`,
            `${i}  memcpy(&v, x + c, 4);`,
            ...(lanes === 4 ? [`${i}  const int32_t v02 = MOTE_SXTB16(v);`, `${i}  const int32_t v13 = MOTE_SXTB16_ROR8(v);`] : []),
            ...loads.map((l) => `${i}  ${l}`),
            ...accs.flatMap((a, j) => halves.map((h, hi) => `${i}  ${a} = ${mac}(${h}, ${operand(j, hi)}, ${a});`)),
            `${i}  k += ${words};`,
            `${i}}`,
          ]
        : []),
      ...(vector < n
        ? [
            `${i}for (int c = ${vector}; c < ${n}; c++) {`,
            `${i}  const int32_t xc = x[c];`,
            ...accs.map((a, j) => `${i}  ${a} = mote_mac(${a}, xc * k[${j}]);`),
            `${i}  k += ${size};`,
            `${i}}`,
          ]
        : []),
    ];
    return [
      ...accs.map((a, j) => `${ind}${init(a, fj(j))}`),
      `${ind}const int32_t *k = ${f === '0' ? kernel : /^\d+$/.test(f) ? `${kernel} + ${Number(f) * perFilter}` : `${kernel} + ${f} * ${perFilter}`};`,
      ...(rows === 1 ? rowBody('0', ind) : [`${ind}for (int r = 0; r < ${rows}; r++) {`, ...rowBody('r', `${ind}  `), `${ind}}`]),
      ...accs.flatMap((a, j) => store(a, fj(j))),
    ];
  };
  const lines: string[] = [];
  const full = Math.floor(filters / maxBlock) * maxBlock;
  if (full > maxBlock) lines.push(`${indent}for (int f = 0; f < ${full}; f += ${maxBlock}) {`, ...block(maxBlock, 'f', `${indent}  `), `${indent}}`);
  else if (full === maxBlock) lines.push(`${indent}{`, ...block(maxBlock, '0', `${indent}  `), `${indent}}`);
  let f = full;
  for (const size of [2, 1]) {
    if (size < maxBlock && f + size <= filters) {
      lines.push(`${indent}{`, ...block(size, String(f), `${indent}  `), `${indent}}`);
      f += size;
    }
  }
  return lines;
}

/**
 * Two output pixels per pass over the packed weights (int8, 32-bit accumulators): each weight word loaded
 * once feeds both pixels' SMLADs, so weight loads per MAC halve against `packedDot` (one pixel, where they
 * are most of the cycles). Same packed layout (`packWeights`): per group of four inputs and filter j of the
 * block, word 2j pairs with the input's SXTB16 half and word 2j + 1 with its SXTB16 ror #8 half. One step
 * (`MOTE_PX2_S<size>`) is one input word of each pixel against the block's 2·size weight words, in one asm
 * statement: the two input words load back to back with the first weight words (pipelined loads), each
 * half is unpacked just before its SMLADs and the raw words are loaded again for the other half, so a
 * block of four filters needs only 8 accumulators, 4 temporaries and the two pointers in registers.
 */
export function pixelPairApplies(layout: PackedLayout | undefined, longWidth: LongWidth, n: number): boolean {
  return layout !== undefined && layout.lanes === 4 && longWidth === 32 && n > 0 && n % 4 === 0;
}

const pairSizes = [4, 2, 1] as const;

function pixelPairAsm(size: number): string[] {
  const esc = (s: string) => `"${s}\\n\\t"`;
  const body: string[] = [];
  for (const h of [0, 1]) {
    const ror = h ? ', ror #8' : '';
    body.push(esc('ldr %[u], [%[x], #(" #xo ")]'), esc('ldr %[v], [%[x], #(" #xo "+" #ob ")]'));
    for (let j = 0; j < size; j += 2) {
      const two = j + 1 < size;
      body.push(esc(`ldr %[w0], [%[k], #(" #wo "+${4 * (2 * j + h)})]`));
      if (two) body.push(esc(`ldr %[w1], [%[k], #(" #wo "+${4 * (2 * (j + 1) + h)})]`));
      if (j === 0) body.push(esc(`sxtb16 %[u], %[u]${ror}`), esc(`sxtb16 %[v], %[v]${ror}`));
      body.push(esc(`smlad %[a${j}], %[u], %[w0], %[a${j}]`), esc(`smlad %[b${j}], %[v], %[w0], %[b${j}]`));
      if (two) body.push(esc(`smlad %[a${j + 1}], %[u], %[w1], %[a${j + 1}]`), esc(`smlad %[b${j + 1}], %[v], %[w1], %[b${j + 1}]`));
    }
  }
  const accs = Array.from({ length: size }, (_, j) => `[a${j}] "+r"(a${j}), [b${j}] "+r"(b${j})`).join(', ');
  return [
    `#define MOTE_PX2_S${size}(xp, xo, ob, kp, wo) do { \\`,
    '  int32_t u_, v_, w0_, w1_; \\',
    '  __asm__ volatile( \\',
    ...body.map((l) => `    ${l} \\`),
    `    : ${accs}, [u] "=&r"(u_), [v] "=&r"(v_), [w0] "=&r"(w0_), [w1] "=&r"(w1_) \\`,
    '    : [x] "r"(xp), [k] "r"(kp) : "memory"); \\',
    '  (void)w1_; \\',
    '} while (0)',
  ];
}

function pixelPairPortable(size: number): string[] {
  const lines = [
    `#define MOTE_PX2_S${size}(xp, xo, ob, kp, wo) do { \\`,
    '  int32_t u_, v_; \\',
    '  memcpy(&u_, (xp) + (xo), 4); \\',
    '  memcpy(&v_, (xp) + (xo) + (ob), 4); \\',
    '  const int32_t u02_ = MOTE_SXTB16(u_), u13_ = MOTE_SXTB16_ROR8(u_), v02_ = MOTE_SXTB16(v_), v13_ = MOTE_SXTB16_ROR8(v_); \\',
    '  const int32_t *kw_ = (kp) + (wo) / 4; \\',
  ];
  for (let j = 0; j < size; j++) {
    lines.push(`  a${j} = MOTE_SMLAD(u13_, kw_[${2 * j + 1}], MOTE_SMLAD(u02_, kw_[${2 * j}], a${j})); \\`);
    lines.push(`  b${j} = MOTE_SMLAD(v13_, kw_[${2 * j + 1}], MOTE_SMLAD(v02_, kw_[${2 * j}], b${j})); \\`);
  }
  lines.push('} while (0)');
  return lines;
}

/** The step macros of `packedDotPair`, defined for one layer function (`pixelPairUndefs` at its end). */
export function pixelPairDefines(): string[] {
  return [
    '#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__GNUC__)',
    ...pairSizes.flatMap(pixelPairAsm),
    '#else',
    ...pairSizes.flatMap(pixelPairPortable),
    '#endif',
  ];
}

export function pixelPairUndefs(): string[] {
  return pairSizes.map((s) => `#undef MOTE_PX2_S${s}`);
}

/** Largest immediate offset of an LDR (T3 encoding): offsets past it cannot be literals of a step. */
const ldrReach = 4095;

/**
 * Statements computing every filter for two pixels A and B from packed weights (`packWeights`, layout
 * lanes 4): `x` is A's row-0 pointer (an expression), row r of A starts `rowOffset(r)` values after it
 * and B's rows `pairOffset` values after A's. Returns undefined when an offset does not fit an LDR
 * immediate. `init(acc, f)` declares an accumulator with its bias, `storeA`/`storeB` write a pixel's filter f.
 */
export function packedDotPair(opts: {
  kernel: string;
  filters: number;
  rows: number;
  n: number;
  x: string;
  rowOffset: (r: number) => number;
  pairOffset: number;
  init: (acc: string, f: string) => string;
  storeA: (acc: string, f: string) => string[];
  storeB: (acc: string, f: string) => string[];
  indent: string;
}): string[] | undefined {
  const { kernel, filters, rows, n, x, rowOffset, pairOffset, init, storeA, storeB, indent } = opts;
  const words = n / 4;
  const perFilter = rows * words * 2;
  if (rowOffset(rows - 1) + n - 4 + pairOffset > ldrReach) return undefined;
  const block = (size: number, f: string, ind: string): string[] | undefined => {
    const fj = (j: number) => (j === 0 ? f : /^\d+$/.test(f) ? String(Number(f) + j) : `${f} + ${j}`);
    const perRow = words * 2 * size;
    // The weights' offsets restart at each row (k advances) when the whole block would not fit an LDR immediate.
    const advance = 4 * rows * perRow > ldrReach + 4;
    if (4 * perRow > ldrReach + 4) return undefined;
    const steps: string[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < words; c++) steps.push(`${ind}MOTE_PX2_S${size}(x, ${rowOffset(r) + 4 * c}, ${pairOffset}, k, ${4 * ((advance ? 0 : r * perRow) + c * 2 * size)});`);
      if (advance && r + 1 < rows) steps.push(`${ind}k += ${perRow};`);
    }
    return [
      ...Array.from({ length: size }, (_, j) => `${ind}${init(`a${j}`, fj(j))}`),
      ...Array.from({ length: size }, (_, j) => `${ind}${init(`b${j}`, fj(j))}`),
      `${ind}const int32_t *k = ${f === '0' ? kernel : /^\d+$/.test(f) ? `${kernel} + ${Number(f) * perFilter}` : `${kernel} + ${f} * ${perFilter}`};`,
      ...steps,
      ...Array.from({ length: size }, (_, j) => storeA(`a${j}`, fj(j))).flat(),
      ...Array.from({ length: size }, (_, j) => storeB(`b${j}`, fj(j))).flat(),
    ];
  };
  const lines: string[] = [`${indent}const model_number_t *x = ${x};`];
  const full = Math.floor(filters / 4) * 4;
  const first = full > 4 ? block(4, 'f', `${indent}  `) : full === 4 ? block(4, '0', `${indent}  `) : [];
  if (!first) return undefined;
  if (full > 4) lines.push(`${indent}for (int f = 0; f < ${full}; f += 4) {`, ...first, `${indent}}`);
  else if (full === 4) lines.push(`${indent}{`, ...first, `${indent}}`);
  let f = full;
  for (const size of [2, 1]) {
    if (f + size <= filters) {
      const b = block(size, String(f), `${indent}  `);
      if (!b) return undefined;
      lines.push(`${indent}{`, ...b, `${indent}}`);
      f += size;
    }
  }
  return lines;
}

/**
 * One output pixel (or a Dense layer's one input vector) per pass, the steps of `packedDotPair` for a
 * single input: one asm statement per input word loads it with the first four weight words back to back
 * (pipelined loads), unpacks both halves and runs the block's SMLADs, the next four weight words loaded
 * together again; gcc left to itself reloads the loop end from the stack and splits the loads with LDRDs.
 */
function singleAsm(size: number): string[] {
  const esc = (s: string) => `"${s}\\n\\t"`;
  const body: string[] = [esc('ldr %[u], [%[x], #(" #xo ")]')];
  for (let j = 0; j < size; j += 2) {
    const n = Math.min(2, size - j) * 2;
    for (let i = 0; i < n; i++) body.push(esc(`ldr %[w${i}], [%[k], #(" #wo "+${4 * (2 * j + i)})]`));
    if (j === 0) body.push(esc('sxtb16 %[t], %[u], ror #8'), esc('sxtb16 %[u], %[u]'));
    for (let i = 0; i < n; i++) body.push(esc(`smlad %[a${j + (i >> 1)}], %[${i % 2 ? 't' : 'u'}], %[w${i}], %[a${j + (i >> 1)}]`));
  }
  const temps = Math.min(size, 2) * 2;
  const accs = Array.from({ length: size }, (_, j) => `[a${j}] "+r"(a${j})`).join(', ');
  const ws = Array.from({ length: temps }, (_, i) => `[w${i}] "=&r"(w${i}_)`).join(', ');
  return [
    `#define MOTE_PX1_S${size}(xp, xo, kp, wo) do { \\`,
    `  int32_t u_, t_, ${Array.from({ length: temps }, (_, i) => `w${i}_`).join(', ')}; \\`,
    '  __asm__ volatile( \\',
    ...body.map((l) => `    ${l} \\`),
    `    : ${accs}, [u] "=&r"(u_), [t] "=&r"(t_), ${ws} \\`,
    '    : [x] "r"(xp), [k] "r"(kp) : "memory"); \\',
    '} while (0)',
  ];
}

function singlePortable(size: number): string[] {
  const lines = [
    `#define MOTE_PX1_S${size}(xp, xo, kp, wo) do { \\`,
    '  int32_t u_; \\',
    '  memcpy(&u_, (xp) + (xo), 4); \\',
    '  const int32_t u02_ = MOTE_SXTB16(u_), u13_ = MOTE_SXTB16_ROR8(u_); \\',
    '  const int32_t *kw_ = (kp) + (wo) / 4; \\',
  ];
  for (let j = 0; j < size; j++) lines.push(`  a${j} = MOTE_SMLAD(u13_, kw_[${2 * j + 1}], MOTE_SMLAD(u02_, kw_[${2 * j}], a${j})); \\`);
  lines.push('} while (0)');
  return lines;
}

/** The step macros of `packedDotSingle`, for one layer function (`singleUndefs` at its end). */
export function singleDefines(): string[] {
  return ['#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__GNUC__)', ...pairSizes.flatMap(singleAsm), '#else', ...pairSizes.flatMap(singlePortable), '#endif'];
}

export function singleUndefs(): string[] {
  return pairSizes.map((s) => `#undef MOTE_PX1_S${s}`);
}

/** Input words per rolled iteration of a long single row (`packedDotSingle`). */
const chunkWords = 8;

/**
 * `packedDot` for layout lanes 4 (int8, 32-bit accumulators) with rows of whole input words, in asm steps
 * (`MOTE_PX1_S<size>`): `x` is row 0's pointer, row r starts `rowOffset(r)` values after it. Rows are
 * unrolled; one row longer than 32 words (a Dense layer) is a loop of 8-word chunks. Undefined when an
 * offset does not fit an LDR immediate.
 */
export function packedDotSingle(opts: {
  kernel: string;
  filters: number;
  rows: number;
  n: number;
  x: string;
  rowOffset: (r: number) => number;
  init: (acc: string, f: string) => string;
  store: (acc: string, f: string) => string[];
  indent: string;
}): string[] | undefined {
  const { kernel, filters, rows, n, x, rowOffset, init, store, indent } = opts;
  const words = n / 4;
  const perFilter = rows * words * 2;
  const chunked = rows === 1 && words > 32;
  if (!chunked && rowOffset(rows - 1) + n - 4 > ldrReach) return undefined;
  const block = (size: number, f: string, ind: string): string[] | undefined => {
    const fj = (j: number) => (j === 0 ? f : /^\d+$/.test(f) ? String(Number(f) + j) : `${f} + ${j}`);
    const perRow = words * 2 * size;
    const advance = 4 * rows * perRow > ldrReach + 4;
    if (!chunked && 4 * perRow > ldrReach + 4) return undefined;
    const steps: string[] = [];
    if (chunked) {
      const loops = Math.floor(words / chunkWords);
      steps.push(`${ind}for (int i = 0; i < ${loops}; i++) {`);
      for (let c = 0; c < chunkWords; c++) steps.push(`${ind}  MOTE_PX1_S${size}(xr, ${4 * c}, k, ${4 * c * 2 * size});`);
      steps.push(`${ind}  xr += ${4 * chunkWords};`, `${ind}  k += ${chunkWords * 2 * size};`, `${ind}}`);
      for (let c = 0; c < words - loops * chunkWords; c++) steps.push(`${ind}MOTE_PX1_S${size}(xr, ${4 * c}, k, ${4 * c * 2 * size});`);
    } else {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < words; c++) steps.push(`${ind}MOTE_PX1_S${size}(xr, ${rowOffset(r) + 4 * c}, k, ${4 * ((advance ? 0 : r * perRow) + c * 2 * size)});`);
        if (advance && r + 1 < rows) steps.push(`${ind}k += ${perRow};`);
      }
    }
    return [
      ...Array.from({ length: size }, (_, j) => `${ind}${init(`a${j}`, fj(j))}`),
      `${ind}const int32_t *k = ${f === '0' ? kernel : /^\d+$/.test(f) ? `${kernel} + ${Number(f) * perFilter}` : `${kernel} + ${f} * ${perFilter}`};`,
      `${ind}const model_number_t *xr = x;`,
      ...steps,
      ...Array.from({ length: size }, (_, j) => store(`a${j}`, fj(j))).flat(),
    ];
  };
  const lines: string[] = [`${indent}const model_number_t *x = ${x};`];
  const full = Math.floor(filters / 4) * 4;
  const first = full > 4 ? block(4, 'f', `${indent}  `) : full === 4 ? block(4, '0', `${indent}  `) : [];
  if (!first) return undefined;
  if (full > 4) lines.push(`${indent}for (int f = 0; f < ${full}; f += 4) {`, ...first, `${indent}}`);
  else if (full === 4) lines.push(`${indent}{`, ...first, `${indent}}`);
  let f = full;
  for (const size of [2, 1]) {
    if (f + size <= filters) {
      const b = block(size, String(f), `${indent}  `);
      if (!b) return undefined;
      lines.push(`${indent}{`, ...b, `${indent}}`);
      f += size;
    }
  }
  return lines;
}
