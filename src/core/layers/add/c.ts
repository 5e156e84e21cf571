import type { CEmitter } from '../facets/c';
import { activationStatements, bitsOf, requantizeExpr, usesSimd } from '../shared/arith-c';
import { intLiteral } from '../shared/c-literals';
import { roundingAddend } from '../shared/fixed-point';
import type { AddLayer } from './layer';

export const addC: CEmitter<AddLayer> = (layer, ctx) => {
  const size = ctx.outShape.reduce((a, b) => a * b, 1);
  const inputs = layer.inputs.map((_, i) => `in${i}`);
  let lines: string[];
  if (ctx.number === 'float32') {
    const act = activationStatements(ctx, layer.activation, 'acc', 0, '    ', 0);
    lines = [`    float acc = ${inputs.map((x) => `${x}[i]`).join(' + ')};`, ...(act ? [act] : []), '    out[i] = acc;'];
  } else {
    const aligned = Math.max(...ctx.inFracs);
    const factors = ctx.inFracs.map((f) => 2 ** (aligned - f));
    const shift = aligned - ctx.format!.output;
    const addend = roundingAddend(shift, ctx.format!.round);
    const bits = bitsOf(ctx.number);
    // SIMD dialect: the exact sum in 32 bits when it cannot leave them (|x| ≤ 2^(bits-1) per input times its
    // factor), then one saturating shift: SSAT((sum + addend) >> shift) equals mote_requantize's 64-bit
    // result for 0 < shift ≤ 32 − bits (see requantizeExpr), and with a fused ReLU USAT to bits − 1 does the
    // max(·, 0) as well (a negative sum plus an addend < 2^shift shifts to ≤ 0, which USAT clamps to 0, as
    // requantizing 0 gives). Four elements per iteration, so the loop's own cost is shared.
    const bound = 2 ** (bits - 1) * factors.reduce((a, b) => a + b, 0) + addend;
    if (usesSimd(ctx.number, ctx.dialect, ctx.longWidth) && shift > 0 && shift <= 32 - bits && bound < 2 ** 31 && (layer.activation === 'linear' || layer.activation === 'relu')) {
      const relu = layer.activation === 'relu';
      const term = (x: string, k: number, i: string) => (factors[k] === 1 ? `(int32_t)${x}[${i}]` : `(int32_t)${x}[${i}] * ${intLiteral(factors[k])}`);
      const element = (i: string, ind: string) => [
        `${ind}{`,
        `${ind}  const int32_t s = ${inputs.map((x, k) => term(x, k, i)).join(' + ')};`,
        `${ind}  out[${i}] = (model_number_t)${relu ? 'MOTE_ADD_USAT' : 'MOTE_SSAT'}(${addend === 0 ? 's' : `(s + ${intLiteral(addend)})`} >> ${shift});`,
        `${ind}}`,
      ];
      const vector = Math.floor(size / 4) * 4;
      const body = [
        ...(relu
          ? [
              '#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP',
              `#define MOTE_ADD_USAT(x) __usat((x), ${bits - 1})`,
              '#else',
              `#define MOTE_ADD_USAT(x) ((x) < 0 ? 0 : (x) > ${2 ** (bits - 1) - 1} ? ${2 ** (bits - 1) - 1} : (x))`,
              '#endif',
            ]
          : []),
        ...(vector > 0 ? [`  for (int i = 0; i < ${vector}; i += 4) {`, ...[0, 1, 2, 3].flatMap((j) => element(j ? `i + ${j}` : 'i', '    ')), '  }'] : []),
        ...(vector < size ? [`  for (int i = ${vector}; i < ${size}; i++) {`, ...element('i', '    '), '  }'] : []),
        ...(relu ? ['#undef MOTE_ADD_USAT'] : []),
      ];
      return { kind: 'function', body: body.join('\n'), macs: 0 };
    }
    const terms = inputs.map((x, k) => (factors[k] === 1 ? `(mote_wide_t)${x}[i]` : `(mote_wide_t)${x}[i] * ${intLiteral(factors[k])}`));
    const act = activationStatements(ctx, layer.activation, 'acc', aligned, '    ', 2 ** 53);
    lines = [`    mote_wide_t acc = ${terms.join(' + ')};`, ...(act ? [act] : []), `    out[i] = ${requantizeExpr(ctx, 'acc', shift, ctx.format!.round, false)};`];
  }
  return { kind: 'function', body: [`  for (int i = 0; i < ${size}; i++) {`, ...lines, '  }'].join('\n'), macs: 0 };
};
