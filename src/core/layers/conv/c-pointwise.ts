// Pointwise (1×1, stride 1, no padding) int8 convolution on Armv7E-M SIMD, 32-bit accumulators, taken as one
// row of oh·ow pixels. Per pixel pair the two input vectors are sign-extended once into a static buffer of
// int16 pairs (SXTB16 / SXTB16 ror 8 of each input word, the halves the packed weights pair with), so the
// filter blocks that follow — one asm statement per block of four filters — do no unpacking: per pair of
// input channels, two input words and four weight words (two pipelined bursts) feed eight SMLADs (2 pixels ×
// 4 filters, 8 accumulators in registers). Each block's four bias words lead its weight words (loaded in the
// first burst, taken as the first SMLADs' addends), and each output is one SSAT (USAT for a fused ReLU) with
// the shift as its operand. An odd last pixel takes the same layout one pixel at a time. The rounding addend
// is folded into the bias words where no sum can leave 32 bits (checked per filter at generation time), so
// the saturating add of the other loops is not needed: same integers as requantizeExpr's.
import { roundingAddend, type RoundMode } from '../shared/fixed-point';

/** Largest immediate offset of an LDR (T3 encoding). */
const ldrReach = 4095;

export interface PointwisePlan {
  pixels: number;
  cin: number;
  filters: number;
  shift: number;
  relu: boolean;
  /** Bias words with the rounding addend folded in, per filter. */
  bias: Int32Array;
}

/**
 * The plan when the pointwise SIMD loops apply: int8, 32-bit accumulators, in/out channels in whole groups
 * of four, linear or ReLU, 0 < shift ≤ 24 and every filter's sum + addend provably inside 32 bits.
 */
export function pointwisePlan(opts: {
  pixels: number; cin: number; filters: number; activation: string; shift: number; round: RoundMode;
  bias: ArrayLike<number> | undefined; kernel: ArrayLike<number>;
}): PointwisePlan | undefined {
  const { pixels, cin, filters, activation, shift, round, bias, kernel } = opts;
  if (pixels < 2 || cin % 4 !== 0 || filters % 4 !== 0 || cin === 0) return undefined;
  if (activation !== 'linear' && activation !== 'relu') return undefined;
  if (!(shift > 0 && shift <= 24)) return undefined;
  const addend = roundingAddend(shift, round);
  if (activation === 'relu' && !(addend >= 0 && addend < 2 ** shift)) return undefined;
  // Weight offsets of a block (bias + 2·cin words) must fit an LDR immediate.
  if (4 * (4 + 2 * cin) - 4 > ldrReach) return undefined;
  const words = new Int32Array(filters);
  for (let f = 0; f < filters; f++) {
    const b = (bias ? bias[f] : 0) + addend;
    let reach = Math.abs(b);
    for (let c = 0; c < cin; c++) reach += 128 * Math.abs(kernel[f * cin + c]);
    if (reach > 2 ** 31 - 1) return undefined;
    words[f] = b;
  }
  return { pixels, cin, filters, shift, relu: activation === 'relu', bias: words };
}

/** Packed weights (`packWeights`, blocks of four filters, one row of cin) with each block's bias words first. */
export function packPointwise(packed: Int32Array, plan: PointwisePlan): Int32Array {
  const perBlock = 2 * plan.cin;
  const blocks = plan.filters / 4;
  const out = new Int32Array(blocks * (4 + perBlock));
  for (let b = 0; b < blocks; b++) {
    for (let j = 0; j < 4; j++) out[b * (4 + perBlock) + j] = plan.bias[4 * b + j];
    out.set(packed.subarray(b * perBlock, (b + 1) * perBlock), b * (4 + perBlock) + 4);
  }
  return out;
}

const esc = (s: string) => `"${s}\\n\\t"`;

/** Asm lines of one block of four filters for `pixels` (1 or 2) expanded inputs at `xe`, weights at `k`. */
function blockAsm(plan: PointwisePlan, pixels: 1 | 2, kOffset = 0): string[] {
  const groups = plan.cin / 4;
  const body: string[] = [];
  const wo = (g: number, h: number, j: number) => kOffset + 16 + 32 * g + 8 * j + 4 * h;
  for (let g = 0; g < groups; g++) {
    for (let h = 0; h < 2; h++) {
      const first = g === 0 && h === 0;
      const xo = 4 * (4 * g + 2 * h);
      body.push(esc(`ldr %[xa], [%[xe], #${xo}]`));
      if (pixels === 2) body.push(esc(`ldr %[xb], [%[xe], #${xo + 4}]`));
      const perBurst = pixels === 2 ? 2 : 4;
      for (let j0 = 0; j0 < 4; j0 += perBurst) {
        for (let j = j0; j < j0 + perBurst; j++) body.push(esc(`ldr %[w${j - j0}], [%[k], #${wo(g, h, j)}]`));
        if (first && j0 === 0) for (let j = 0; j < 4; j++) body.push(esc(`ldr %[a${j}], [%[k], #${kOffset + 4 * j}]`));
        for (let j = j0; j < j0 + perBurst; j++) {
          const w = `%[w${j - j0}]`;
          if (pixels === 2) body.push(esc(`smlad %[b${j}], %[xb], ${w}, %[${first ? 'a' : 'b'}${j}]`));
          body.push(esc(`smlad %[a${j}], %[xa], ${w}, %[a${j}]`));
        }
      }
    }
  }
  const accs = pixels === 2 ? ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3'] : ['a0', 'a1', 'a2', 'a3'];
  for (const a of accs) body.push(esc(plan.relu ? `usat %[${a}], #7, %[${a}], asr #${plan.shift}` : `ssat %[${a}], #8, %[${a}], asr #${plan.shift}`));
  const temps = pixels === 2 ? ['xa', 'xb', 'w0', 'w1'] : ['xa', 'w0', 'w1', 'w2', 'w3'];
  return [
    '__asm__ volatile(',
    ...body.map((l) => `  ${l}`),
    `  : ${[...accs, ...temps].map((a) => `[${a}] "=&r"(${a})`).join(', ')}`,
    '  : [xe] "r"(xe), [k] "r"(k) : "memory");',
  ];
}

/** Portable C of one block (the same integers without the DSP extension). */
function blockPortable(plan: PointwisePlan, pixels: 1 | 2): string[] {
  const groups = plan.cin / 4;
  const lines: string[] = [];
  const sat = (a: string) => (plan.relu ? `${a} = ${a} >> ${plan.shift}; ${a} = ${a} < 0 ? 0 : ${a} > 127 ? 127 : ${a};` : `${a} = MOTE_SSAT(${a} >> ${plan.shift});`);
  for (let j = 0; j < 4; j++) {
    lines.push(`a${j} = k[${j}];`);
    if (pixels === 2) lines.push(`b${j} = k[${j}];`);
  }
  lines.push(`for (int g = 0; g < ${groups}; g++) {`);
  for (let h = 0; h < 2; h++) {
    for (let j = 0; j < 4; j++) {
      lines.push(`  a${j} = MOTE_SMLAD(xe[4 * g + ${2 * h}], k[4 + 8 * g + ${2 * j + h}], a${j});`);
      if (pixels === 2) lines.push(`  b${j} = MOTE_SMLAD(xe[4 * g + ${2 * h + 1}], k[4 + 8 * g + ${2 * j + h}], b${j});`);
    }
  }
  lines.push('}');
  for (let j = 0; j < 4; j++) lines.push(sat(`a${j}`));
  if (pixels === 2) for (let j = 0; j < 4; j++) lines.push(sat(`b${j}`));
  return lines;
}

/**
 * Every block of four filters for one pixel pair (n = 2) or one pixel (n = 1): expanded inputs at `xe`
 * (int32_t *), outputs at `o` (model_number_t *; the second pixel's `filters` values after the first's).
 */
export function pointwiseBlocks(plan: PointwisePlan, kernel: string, n: 1 | 2, ind: string, sharedBase = false): string[] {
  const { cin, filters } = plan;
  const perBlock = 4 + 2 * cin;
  const vars = n === 2 ? 'a0, a1, a2, a3, b0, b1, b2, b3, xa, xb, w0, w1' : 'a0, a1, a2, a3, xa, w0, w1, w2, w3';
  const accs = n === 2 ? ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3'] : ['a0', 'a1', 'a2', 'a3'];
  // Small layers' outputs as STRBs with immediate offsets (gcc 12 merges the eight byte stores into two
  // words with eight BFIs: slower there).
  // With sharedBase (small 1×1 layers): every block's weights and outputs at immediate offsets from the same
  // k and o (a block's weights lie within 3 KiB of the kernel's start, see below), so no block computes an
  // address of its own (pw1 −3 %). Not for the gathered first layers: gcc 12 then fails to allocate the
  // blocks' asm inside the whole network ("impossible constraints").
  // `at`: the block's first filter as an immediate offset from o (sharedBase), else the operand is o + f.
  const storeAsm = (at: number | undefined) => [
    '__asm__ volatile(',
    ...accs.map((a, i) => `  ${esc(`strb %[${a}], [%[o], #${(at ?? 0) + (i >> 2) * filters + (i & 3)}]`)}`),
    `  : : ${accs.map((a) => `[${a}] "r"(${a})`).join(', ')}, [o] "r"(${at === undefined ? 'o + f' : 'o'}) : "memory");`,
  ];
  // In the filter loop: each pixel's four outputs packed into one word by three BFIs and stored by one STR
  // (unaligned STRs are allowed on Armv7-M); gcc's own merge of the eight byte stores took eight BFIs and
  // two MOVs and scheduled the loop's stack loads and stores between them, where they do not pipeline.
  const packAsm = [
    '__asm__ volatile(',
    ...(n === 2 ? ['a', 'b'] : ['a']).flatMap((p) => [
      `  ${esc(`bfi %[${p}0], %[${p}1], #8, #24`)}`,
      `  ${esc(`bfi %[${p}0], %[${p}2], #16, #16`)}`,
      `  ${esc(`bfi %[${p}0], %[${p}3], #24, #8`)}`,
    ]),
    ...(n === 2 ? ['a', 'b'] : ['a']).map((p, i) => `  ${esc(`str %[${p}0], [%[o], #${i * filters}]`)}`),
    `  : ${(n === 2 ? ['a0', 'b0'] : ['a0']).map((a) => `[${a}] "+&r"(${a})`).join(', ')}`,
    `  : ${accs.filter((a) => !a.endsWith('0')).map((a) => `[${a}] "r"(${a})`).join(', ')}, [o] "r"(o + f) : "memory");`,
  ];
  const cStores = (i: string) => [
    ...[0, 1, 2, 3].map((j) => `${i}o[f + ${j}] = (model_number_t)a${j};`),
    ...(n === 2 ? [0, 1, 2, 3].map((j) => `${i}o[${filters} + f + ${j}] = (model_number_t)b${j};`) : []),
  ];
  const small = filters * cin <= 1024;
  // b: the block's index where the blocks follow one another (small layers); undefined in the filter loop.
  const body = (i: string, b?: number) => {
    const shared = b !== undefined && sharedBase;
    return [
      ...(b !== undefined && !shared ? [`${i}const int f = ${4 * b};`] : []),
      `${i}int32_t ${vars};`,
      '#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__GNUC__)',
      ...blockAsm(plan, n, shared ? 4 * b * perBlock : 0).map((l) => `${i}${l}`),
      `${i}(void)xa; (void)w0; (void)w1;${n === 2 ? ' (void)xb;' : ' (void)w2; (void)w3;'}`,
      ...(b === undefined ? packAsm : storeAsm(shared ? 4 * b : undefined)).map((l) => `${i}${l}`),
      '#else',
      ...(shared ? [`${i}const int f = ${4 * b};`, `${i}const int32_t *kb = k;`, `${i}k += ${b * perBlock};`] : []),
      ...blockPortable(plan, n).map((l) => `${i}${l}`),
      `${i}(void)xa; (void)w0; (void)w1;${n === 2 ? ' (void)xb;' : ' (void)w2; (void)w3;'}`,
      ...cStores(i),
      ...(shared ? [`${i}k = kb;`] : []),
      '#endif',
      ...(shared ? [] : [`${i}k += ${perBlock};`]),
    ];
  };
  // Small layers (few filters over few input channels, where the loop's own work is a large share of a
  // block) take the blocks one after the other, without the loop. Their kernel is at most
  // 4 · (filters + filters · cin / 2) ≤ 3 KiB (filters ≤ 256), within every LDR immediate.
  if (small) {
    return [
      `${ind}const int32_t *k = ${kernel};`,
      ...Array.from({ length: filters / 4 }, (_, b) => [`${ind}{`, ...body(`${ind}  `, b), `${ind}}`]).flat(),
    ];
  }
  return [`${ind}const int32_t *k = ${kernel};`, `${ind}for (int f = 0; f < ${filters}; f += 4) {`, ...body(`${ind}  `), `${ind}}`];
}

/**
 * One asm statement expanding `count` (≤ 4) input words of the pixel at `x` (and of the next pixel, `cin`
 * values on, for n = 2) into `xe` from word `at` on: every input word in one pipelined burst of loads, then
 * per word two SXTB16 and two SXTB16 ror 8 and four pipelined stores (gcc's own loop took about 21 est. cycles
 * a word with STRDs and a literal load of its bound; this is 11–13).
 */
function expandAsm(n: 1 | 2, cin: number, count: number, at: number | undefined, x: string, xe: string, ind: string): string[] {
  const lines: string[] = [];
  const xo = (i: number) => (at === undefined ? 4 * i : 4 * (at + i));
  const eo = (i: number) => 16 * (i + (at ?? 0));
  for (let i = 0; i < count; i++) lines.push(esc(`ldr %[u${i}], [%[x], #${xo(i)}]`));
  if (n === 2) for (let i = 0; i < count; i++) lines.push(esc(`ldr %[v${i}], [%[x], #${xo(i) + cin}]`));
  for (let i = 0; i < count; i++) {
    const v = n === 2 ? `v${i}` : `u${i}`;
    lines.push(esc(`sxtb16 %[e0], %[u${i}]`));
    if (n === 2) lines.push(esc(`sxtb16 %[e1], %[${v}]`));
    lines.push(esc(`sxtb16 %[u${i}], %[u${i}], ror #8`));
    if (n === 2) lines.push(esc(`sxtb16 %[${v}], %[${v}], ror #8`));
    const e1 = n === 2 ? 'e1' : 'e0';
    lines.push(esc(`str %[e0], [%[xe], #${eo(i)}]`), esc(`str %[${e1}], [%[xe], #${eo(i) + 4}]`));
    lines.push(esc(`str %[u${i}], [%[xe], #${eo(i) + 8}]`), esc(`str %[${v}], [%[xe], #${eo(i) + 12}]`));
  }
  const regs = [...Array.from({ length: count }, (_, i) => `u${i}`), ...(n === 2 ? Array.from({ length: count }, (_, i) => `v${i}`) : []), 'e0', ...(n === 2 ? ['e1'] : [])];
  return [
    `${ind}{`,
    `${ind}  int32_t ${regs.join(', ')};`,
    `${ind}  __asm__ volatile(`,
    ...lines.map((l) => `${ind}    ${l}`),
    `${ind}    : ${regs.map((r) => `[${r}] "=&r"(${r})`).join(', ')}`,
    `${ind}    : [x] "r"(${x}), [xe] "r"(${xe}) : "memory");`,
    `${ind}  (void)${regs.join('; (void)')};`,
    `${ind}}`,
  ];
}

/** The layer body: every pixel of `in0` ([pixels][cin]) into `out` ([pixels][filters]), kernel words `kernel`. */
export function pointwiseLoops(plan: PointwisePlan, kernel: string): string[] {
  const { pixels, cin, filters } = plan;
  const groups = cin / 4;
  const block = (n: 1 | 2, ind: string) => pointwiseBlocks(plan, kernel, n, ind, true);
  // Chunks of two words (few registers: more would push the filter loop's own variables to the stack), up to
  // sixteen words one after the other, more in a loop of four words a pass (and the rest).
  const expandSimd = (n: 1 | 2, ind: string): string[] => {
    const chunks = (from: number, to: number) => {
      const out: string[] = [];
      for (let at = from; at < to; at += 2) out.push(...expandAsm(n, cin, Math.min(2, to - at), at, 'x', 'xe', ind));
      return out;
    };
    if (groups <= 16) return chunks(0, groups);
    const whole = groups - (groups % 4);
    return [
      `${ind}for (int g = 0; g < ${whole}; g += 4) {`,
      ...expandAsm(n, cin, 2, undefined, 'x + 4 * g', 'xe + 4 * g', `${ind}  `),
      ...expandAsm(n, cin, 2, undefined, 'x + 4 * g + 8', 'xe + 4 * g + 8', `${ind}  `),
      `${ind}}`,
      ...chunks(whole, groups),
    ];
  };
  const expandC = (n: 1 | 2, ind: string): string[] => [
    `${ind}for (int g = 0; g < ${groups}; g++) {`,
    `${ind}  int32_t u, v;`,
    `${ind}  memcpy(&u, x + 4 * g, 4);`,
    n === 2 ? `${ind}  memcpy(&v, x + ${cin} + 4 * g, 4);` : `${ind}  v = u;`,
    `${ind}  xe[4 * g] = MOTE_SXTB16(u);`,
    `${ind}  xe[4 * g + 1] = MOTE_SXTB16(v);`,
    `${ind}  xe[4 * g + 2] = MOTE_SXTB16_ROR8(u);`,
    `${ind}  xe[4 * g + 3] = MOTE_SXTB16_ROR8(v);`,
    `${ind}}`,
  ];
  const expand = (n: 1 | 2, ind: string): string[] => [
    '#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__GNUC__)',
    ...expandSimd(n, ind),
    '#else',
    ...expandC(n, ind),
    '#endif',
  ];
  const pairs = Math.floor(pixels / 2);
  return [
    // Static, not on the stack: a stack buffer's address would take a register the block's asm needs.
    `  static int32_t xe[${cin}];`,
    `  for (int p = 0; p < ${2 * pairs}; p += 2) {`,
    `    const model_number_t *x = in0 + p * ${cin};`,
    `    model_number_t *o = out + p * ${filters};`,
    ...expand(2, '    '),
    ...block(2, '    '),
    '  }',
    ...(pixels % 2
      ? ['  {', `    const model_number_t *x = in0 + ${(pixels - 1) * cin};`, `    model_number_t *o = out + ${(pixels - 1) * filters};`, ...expand(1, '    '), ...block(1, '    '), '  }']
      : []),
  ];
}

// Gathered first-layer windows (a row of kw·cin values that is not whole words: 1 or 3 input channels) through
// the same filter blocks: the window of each pixel of a pair is read straight from the input (or from a
// zero-filled copy at the borders) and expanded into `xe` once, as the virtual channels of a 1×1 convolution:
// first each row's whole words (one unaligned LDR, SXTB16 and SXTB16 ror 8 per pixel), then the rows' last
// values, two by two into int16 pairs (PKHBT), zero-padded to whole groups of four. The weights follow the
// same order.

export interface GatheredPlan {
  /** Window value index of each virtual channel (−1: padding, weight 0). */
  order: number[];
  /** Values per window row (kw · cin) and rows (kh). */
  row: number;
  rows: number;
  plan: PointwisePlan;
}

/** The plan when the filter blocks apply to gathered windows (see pointwisePlan); `kernel` is [filters][kh·kw·cin]. */
export function gatheredPlan(opts: {
  pixels: number; rows: number; row: number; filters: number; activation: string; shift: number; round: RoundMode;
  bias: ArrayLike<number> | undefined; kernel: ArrayLike<number>;
}): GatheredPlan | undefined {
  const { rows, row, filters, kernel } = opts;
  const whole = Math.floor(row / 4);
  const order: number[] = [];
  for (let r = 0; r < rows; r++) for (let j = 0; j < 4 * whole; j++) order.push(r * row + j);
  const rest: number[] = [];
  for (let r = 0; r < rows; r++) for (let j = 4 * whole; j < row; j++) rest.push(r * row + j);
  while (rest.length % 4) rest.push(-1);
  order.push(...rest);
  const values = rows * row;
  const virtual = new Float64Array(filters * order.length);
  for (let f = 0; f < filters; f++) order.forEach((v, i) => { virtual[f * order.length + i] = v < 0 ? 0 : kernel[f * values + v]; });
  const plan = pointwisePlan({ ...opts, cin: order.length, kernel: virtual });
  return plan && { order, row, rows, plan };
}

/** Kernel [filters][kh·kw·cin] in the plan's virtual channel order ([filters][virtual channels]). */
export function gatheredKernel(g: GatheredPlan, kernel: ArrayLike<number>): Float64Array {
  const n = g.order.length;
  const values = g.rows * g.row;
  const out = new Float64Array(g.plan.filters * n);
  for (let f = 0; f < g.plan.filters; f++) g.order.forEach((v, i) => { out[f * n + i] = v < 0 ? 0 : kernel[f * values + v]; });
  return out;
}

/** Statements filling `xe` from the windows of pixels A (pointer `pa`) and B (`pb`) whose rows are `stride` values apart. */
export function gatheredExpand(g: GatheredPlan, pa: string, pb: string, stride: number, ind: string): string[] {
  const at = (v: number) => Math.floor(v / g.row) * stride + (v % g.row);
  const lines: string[] = [];
  const whole = Math.floor(g.row / 4) * g.rows;
  for (let i = 0; i < whole; i++) {
    const o = at(g.order[4 * i]);
    lines.push(`${ind}{ int32_t u, v; memcpy(&u, ${pa} + ${o}, 4); memcpy(&v, ${pb} + ${o}, 4); xe[${4 * i}] = MOTE_SXTB16(u); xe[${4 * i + 1}] = MOTE_SXTB16(v); xe[${4 * i + 2}] = MOTE_SXTB16_ROR8(u); xe[${4 * i + 3}] = MOTE_SXTB16_ROR8(v); }`);
  }
  for (let i = whole; i < g.order.length / 4; i++) {
    for (let h = 0; h < 2; h++) {
      for (const [p, base] of [[0, pa], [1, pb]] as const) {
        const lo = g.order[4 * i + h], hi = g.order[4 * i + h + 2];
        const value = (v: number) => `(int32_t)${base}[${at(v)}]`;
        const word = hi < 0 && lo < 0 ? '0' : hi < 0 ? `(int32_t)(uint16_t)${value(lo)}` : lo < 0 ? `(int32_t)((uint32_t)${value(hi)} << 16)` : `MOTE_GP_PAIR(${value(lo)}, ${value(hi)})`;
        lines.push(`${ind}xe[${4 * i + 2 * h + p}] = ${word};`);
      }
    }
  }
  return lines;
}

export const gatheredDefines = [
  '#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__GNUC__)',
  '#define MOTE_GP_PAIR(lo, hi) __extension__({ int32_t r_; __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r_) : "r"(lo), "r"(hi)); r_; })',
  '#else',
  '#define MOTE_GP_PAIR(lo, hi) ((int32_t)(((uint32_t)(lo) & 0xffffu) | ((uint32_t)(hi) << 16)))',
  '#endif',
];
