import type { CEmitter } from '../facets/c';
import { accumulatorSetup } from '../shared/accumulator';
import { accumulatorMax, activationStatements, usesSimd, dotProduct, dotProduct2, packedDot, packedDotPair, packedDotSingle, packedLayout, packWeights, pairsFilters, pixelPairApplies, pixelPairDefines, pixelPairUndefs, requantizeExpr, singleDefines, singleUndefs } from '../shared/arith-c';
import { asImage, pair } from '../shared/geometry';
import { depthwisePlaneLoops, depthwisePlanePlan, depthwiseStride2Loops, depthwiseStride2Plan, depthwiseSimdApplies, depthwiseSimdLoops, packDepthwise } from './c-depthwise';
import { gatheredDefines, gatheredExpand, gatheredKernel, gatheredPlan, packPointwise, pointwiseBlocks, pointwiseLoops, pointwisePlan } from './c-pointwise';
import { intLiteral } from '../shared/c-literals';
import { roundingAddend } from '../shared/fixed-point';
import type { ConvLayer } from './layer';

/** Kernel re-ordered from the IR's [kh, kw, cin/groups, filters] to [filters][kh][kw][cin/groups]. */
function filterMajor(kernel: ArrayLike<number>, taps: number, cpg: number, filters: number): Float64Array {
  const out = new Float64Array(kernel.length);
  for (let t = 0; t < taps; t++) for (let c = 0; c < cpg; c++) for (let f = 0; f < filters; f++) out[(f * taps + t) * cpg + c] = kernel[(t * cpg + c) * filters + f];
  return out;
}

/** Conv with a fused ReLU on the int8 SIMD dialect stores through MOTE_CONV_USAT (defined for its function). */
export const convC: CEmitter<ConvLayer> = (layer, ctx) => {
  const emitted = convBody(layer, ctx);
  if (emitted.kind !== 'function' || !emitted.body.includes('MOTE_CONV_USAT(')) return emitted;
  const define = [
    '#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP',
    '#define MOTE_CONV_USAT(x) __usat((x), 7)',
    '#else',
    '#define MOTE_CONV_USAT(x) ((x) < 0 ? 0 : (x) > 127 ? 127 : (x))',
    '#endif',
  ];
  return { ...emitted, body: [...define, emitted.body, '#undef MOTE_CONV_USAT'].join('\n') };
};

const convBody: CEmitter<ConvLayer> = (layer, ctx) => {
  const [h, w, cin] = asImage(ctx.inShapes[0]);
  const [oh, ow, filters] = asImage(ctx.outShape);
  const [kh, kw] = pair(layer, layer.kernel, 1);
  const [sh, sw] = pair(layer, layer.stride, 1);
  const [ph, pw] = pair(layer, layer.padding, 0);
  const cpg = cin / layer.groups;
  const fpg = filters / layer.groups;
  const fixed = ctx.number !== 'float32';
  const sourceKernel = fixed ? ctx.intWeight('kernel')! : ctx.weight('kernel');
  const needsBorder = ph > 0 || pw > 0;
  const windowValues = kh * kw * cin;
  // The local window copy lives on the stack (firmware templates reserve 4 KiB): at most 1 KiB of it.
  const windowFits = windowValues * (ctx.number === 'int16' ? 2 : 1) <= 1024;
  // SIMD dialect without groups: weights pre-packed (arith-c.ts `packWeights`), blocks of filters per pass
  // over the window; a window that crosses the padding is first copied into a zero-filled local window (zeros add
  // nothing), so every window runs the same loops. Large windows would not fit the stack: regular path.
  // Rows whose length is not a whole number of input words (a first layer with 1 or 3 channels) would leave
  // leftovers in every row: such windows are gathered row by row into one contiguous local copy instead.
  const simd = layer.groups === 1 ? packedLayout(ctx) : undefined;
  const depthwise = fixed && depthwiseSimdApplies(layer, ctx, cin, filters, kh * kw);
  // Grouped (not depthwise): each group is a dense conv over its cpg channels, so its filters take the packed
  // dot products per tap (rows = taps, n = cpg) when a group's channels fill whole input words.
  const groupedLayout = layer.groups > 1 && !depthwise ? packedLayout(ctx) : undefined;
  // A border window is copied into a zero-filled local window first (memset + one memcpy per tap): that only
  // pays where most windows are interior and the window is not tiny (measured: a 3×3, 25×5×64, 8-group layer
  // 3.31 → 2.66 est. cycles/MAC; the zoo's 4×6 and 8×8 grouped layers, mostly border, got slower).
  const interiorRows = Array.from({ length: oh }, (_, oy) => oy * sh - ph >= 0 && oy * sh - ph + kh <= h).filter(Boolean).length;
  const interiorCols = Array.from({ length: ow }, (_, ox) => ox * sw - pw >= 0 && ox * sw - pw + kw <= w).filter(Boolean).length;
  const bordersPay = !needsBorder || (windowFits && windowValues >= 64 && interiorRows * interiorCols >= 0.5 * oh * ow);
  const grouped = groupedLayout && cpg % groupedLayout.lanes === 0 && bordersPay ? groupedLayout : undefined;
  const gather = simd !== undefined && kh > 1 && (kw * cin) % simd.lanes !== 0 && windowFits;
  const layout = simd && (gather || !needsBorder || windowFits) ? simd : undefined;
  const rows = gather ? 1 : kh;
  // Gathered windows (a first layer with 1 or 3 channels) in pixel pairs: each window copied into its half of
  // a local buffer, zero-padded to whole input words (the weights too), so two pixels share every weight
  // word (packedDotPair) instead of one pixel per pass with scalar leftovers in every window.
  const gatherWords = Math.ceil(windowValues / 4);
  const gatherPair = gather && layout !== undefined && ow >= 2 && 8 * gatherWords <= 1024 && pixelPairApplies(layout, ctx.longWidth, 4 * gatherWords);
  // 1×1 stride-1 convolutions without padding, int8 SIMD: inputs sign-extended once per pixel pair, blocks of
  // four filters in one asm statement each, bias words in the packed weights (c-pointwise.ts).
  const pointwise = fixed && layout !== undefined && ctx.number === 'int8' && ctx.longWidth === 32 && kh === 1 && kw === 1 && sh === 1 && sw === 1 && !needsBorder && layer.groups === 1
    ? pointwisePlan({
        pixels: oh * ow, cin, filters, activation: layer.activation, shift: accumulatorSetup(ctx.format!, ctx.intWeight('bias'), layer.activation, ctx.inFracs[0], ctx.longWidth).shift,
        round: ctx.format!.round, bias: accumulatorSetup(ctx.format!, ctx.intWeight('bias'), layer.activation, ctx.inFracs[0], ctx.longWidth).bias, kernel: filterMajor(sourceKernel, 1, cin, filters),
      })
    : undefined;
  if (pointwise) {
    const kernel = ctx.constArray('kernel', 'word', packPointwise(packWeights(filterMajor(sourceKernel, 1, cin, filters), filters, 1, cin, layout), pointwise));
    return { kind: 'function', body: pointwiseLoops(pointwise, kernel).join('\n'), macs: oh * ow * filters * cin };
  }
  // Gathered windows through the pointwise filter blocks (c-pointwise.ts): int8 SIMD, linear or ReLU.
  const gatherBlocks = gatherPair && ctx.number === 'int8' && ctx.longWidth === 32
    ? (() => {
        const setup = accumulatorSetup(ctx.format!, ctx.intWeight('bias'), layer.activation, ctx.inFracs[0], ctx.longWidth);
        return gatheredPlan({
          pixels: oh * ow, rows: kh, row: kw * cin, filters, activation: layer.activation, shift: setup.shift, round: ctx.format!.round,
          bias: setup.bias, kernel: filterMajor(sourceKernel, kh * kw, cpg, filters),
        });
      })()
    : undefined;
  const groupKernel = (major: Float64Array, g: number) => major.subarray(g * fpg * kh * kw * cpg, (g + 1) * fpg * kh * kw * cpg);
  const groupWords = grouped ? packWeights(groupKernel(filterMajor(sourceKernel, kh * kw, cpg, filters), 0), fpg, kh * kw, cpg, grouped).length : 0;
  // Depthwise 3×3 stride 1 padding 1: one channel at a time on an int16 plane; 3×3 stride 2: one channel at a
  // time straight from the input (c-depthwise.ts).
  if (depthwise) {
    const setup = accumulatorSetup(ctx.format!, ctx.intWeight('bias'), layer.activation, ctx.inFracs[0], ctx.longWidth);
    const plane = depthwisePlanePlan({
      s: { h, w, cin, oh, ow, kh, kw, sh, sw, ph, pw }, activation: layer.activation, shift: setup.shift, round: ctx.format!.round,
      bias: setup.bias, kernel: filterMajor(sourceKernel, kh * kw, 1, filters),
    });
    if (plane) {
      const kernel = ctx.constArray('kernel', 'word', plane.words);
      return { kind: 'function', body: depthwisePlaneLoops(plane, kernel).join('\n'), macs: oh * ow * filters * kh * kw };
    }
    const stride2 = depthwiseStride2Plan({
      s: { h, w, cin, oh, ow, kh, kw, sh, sw, ph, pw }, activation: layer.activation, shift: setup.shift, round: ctx.format!.round,
      bias: setup.bias, kernel: filterMajor(sourceKernel, kh * kw, 1, filters),
    });
    if (stride2) {
      const kernel = ctx.constArray('kernel', 'word', stride2.words);
      return { kind: 'function', body: depthwiseStride2Loops(stride2, kernel).join('\n'), macs: oh * ow * filters * kh * kw };
    }
  }
  // Depthwise: the groups' bias words lead their weight words (loaded in one burst with them).
  const depthwiseBias = depthwise ? accumulatorSetup(ctx.format!, ctx.intWeight('bias'), layer.activation, ctx.inFracs[0], ctx.longWidth).bias : undefined;
  const kernel = depthwise
    ? ctx.constArray('kernel', 'word', packDepthwise(filterMajor(sourceKernel, kh * kw, 1, filters), cin, kh * kw, depthwiseBias))
    : grouped
    ? ctx.constArray('kernel', 'word', (() => {
        const major = filterMajor(sourceKernel, kh * kw, cpg, filters);
        const words = new Int32Array(groupWords * layer.groups);
        for (let g = 0; g < layer.groups; g++) words.set(packWeights(groupKernel(major, g), fpg, kh * kw, cpg, grouped), g * groupWords);
        return words;
      })())
    : gatherBlocks
    ? ctx.constArray('kernel', 'word', packPointwise(packWeights(gatheredKernel(gatherBlocks, filterMajor(sourceKernel, kh * kw, cpg, filters)), filters, 1, gatherBlocks.order.length, layout), gatherBlocks.plan))
    : gatherPair
    ? ctx.constArray('kernel', 'word', (() => {
        const major = filterMajor(sourceKernel, kh * kw, cpg, filters);
        const padded = new Float64Array(filters * 4 * gatherWords);
        for (let f = 0; f < filters; f++) padded.set(major.subarray(f * windowValues, (f + 1) * windowValues), f * 4 * gatherWords);
        return packWeights(padded, filters, 1, 4 * gatherWords, layout);
      })())
    : layout
    ? ctx.constArray('kernel', 'word', packWeights(filterMajor(sourceKernel, kh * kw, cpg, filters), filters, rows, windowValues / rows, layout))
    : ctx.constArray('kernel', 'number', filterMajor(sourceKernel, kh * kw, cpg, filters));
  let biasName: string | undefined;
  /** Statements storing accumulator `acc` as output filter `f` (activation, rescaling). */
  let store: (acc: string, f: string, ox?: string) => string[];
  /** Depthwise SIMD, fused ReLU: USAT does the ReLU and the saturation in one (see c-depthwise.ts). */
  let reluStore: ((acc: string, f: string) => string[]) | undefined;
  const accType = fixed ? 'mote_acc_t' : 'float';
  if (fixed) {
    const setup = accumulatorSetup(ctx.format!, ctx.intWeight('bias'), layer.activation, ctx.inFracs[0], ctx.longWidth);
    // Depthwise SIMD reads its bias from the packed words; only channels past the last group of four need the array.
    if (setup.bias && !(depthwise && cin % 4 === 0)) biasName = ctx.constArray('bias', 'acc', setup.bias);
    store = (acc, f, ox = 'ox') => {
      const act = activationStatements(ctx, layer.activation, acc, setup.accFrac, '        ', accumulatorMax(ctx.longWidth));
      return [...(act ? [act] : []), `        out[(oy * ${ow} + ${ox}) * ${filters} + ${f}] = ${requantizeExpr(ctx, acc, setup.shift, ctx.format!.round, true)};`];
    };
    // max(acc, 0) rescaled and saturated to int8 equals USAT((acc ⊕ addend) >> shift, 7) for 0 ≤ addend < 2^shift
    // (a negative sum stays below 2^shift after the addend, so it shifts to ≤ 0), with QADD as requantizeExpr's.
    if (layer.activation === 'relu' && ctx.number === 'int8' && ctx.longWidth === 32 && usesSimd(ctx.number, ctx.dialect, ctx.longWidth) && setup.shift > 0 && setup.shift <= 24) {
      const addend = roundingAddend(setup.shift, ctx.format!.round);
      const sum = (acc: string) => (addend === 0 ? acc : `MOTE_QADD(${acc}, ${intLiteral(addend)})`);
      if (depthwise) reluStore = (acc, f) => [`out[(oy * ${ow} + ox) * ${filters} + ${f}] = (model_number_t)MOTE_DW_USAT(${sum(acc)} >> ${setup.shift});`];
      else store = (acc, f, ox = 'ox') => [`        out[(oy * ${ow} + ${ox}) * ${filters} + ${f}] = (model_number_t)MOTE_CONV_USAT(${sum(acc)} >> ${setup.shift});`];
    }
  } else {
    if (layer.useBias) biasName = ctx.constArray('bias', 'number', ctx.weight('bias'));
    store = (acc, f, ox = 'ox') => {
      const act = activationStatements(ctx, layer.activation, acc, 0, '        ', 0);
      return [...(act ? [act] : []), `        out[(oy * ${ow} + ${ox}) * ${filters} + ${f}] = ${acc};`];
    };
  }
  const init = (acc: string, f: string) => `${accType} ${acc} = ${biasName ? `${biasName}[${f}]` : '0'};`;
  if (depthwise) {
    // Channels past the last group of four read the filter-major kernel as numbers.
    const scalar = cin % 4 ? ctx.constArray('kernel_tail', 'number', filterMajor(sourceKernel, kh * kw, 1, filters)) : undefined;
    const lines = depthwiseSimdLoops({ h, w, cin, oh, ow, kh, kw, sh, sw, ph, pw }, kernel, scalar, init, reluStore ?? ((acc, c) => store(acc, c).map((l) => l.trim())), depthwiseBias !== undefined);
    return { kind: 'function', body: lines.join('\n'), macs: oh * ow * filters * kh * kw };
  }
  if (grouped) {
    // Tap r of group g: window row r / kw, column r % kw, the group's first channel.
    const tapAt = (r: string) => `base + (${r} / ${kw}) * stride + (${r} % ${kw}) * ${cin} + g * ${cpg}`;
    const inGroup = (f: string) => `g * ${fpg} + (${f})`;
    const dot = packedDot({
      layout: grouped, longWidth: ctx.longWidth, kernel: `(${kernel} + g * ${groupWords})`, filters: fpg, rows: kh * kw, n: cpg, row: tapAt,
      init: (acc, f) => init(acc, inGroup(f)), store: (acc, f) => store(acc, inGroup(f)), indent: '        ',
    });
    const lines = [
      ...(needsBorder ? [`  model_number_t win[${windowValues}];`] : []),
      `  for (int oy = 0; oy < ${oh}; oy++) {`,
      `    for (int ox = 0; ox < ${ow}; ox++) {`,
      ...(needsBorder
        ? [
            '      const model_number_t *base = win;',
            `      int stride = ${kw * cin};`,
            `      if (oy * ${sh} - ${ph} >= 0 && oy * ${sh} - ${ph} + ${kh} <= ${h} && ox * ${sw} - ${pw} >= 0 && ox * ${sw} - ${pw} + ${kw} <= ${w}) {`,
            `        base = in0 + ((oy * ${sh} - ${ph}) * ${w} + ox * ${sw} - ${pw}) * ${cin};`,
            `        stride = ${w * cin};`,
            '      } else {',
            '        memset(win, 0, sizeof win);',
            `        for (int ky = 0; ky < ${kh}; ky++) {`,
            `          const int iy = oy * ${sh} + ky - ${ph};`,
            `          if (iy < 0 || iy >= ${h}) continue;`,
            `          for (int kx = 0; kx < ${kw}; kx++) {`,
            `            const int ix = ox * ${sw} + kx - ${pw};`,
            `            if (ix < 0 || ix >= ${w}) continue;`,
            `            memcpy(win + (ky * ${kw} + kx) * ${cin}, in0 + (iy * ${w} + ix) * ${cin}, ${cin} * sizeof(model_number_t));`,
            '          }',
            '        }',
            '      }',
          ]
        : [`      const model_number_t *base = in0 + ((oy * ${sh}) * ${w} + ox * ${sw}) * ${cin};`, `      const int stride = ${w * cin};`]),
      `      for (int g = 0; g < ${layer.groups}; g++) {`,
      ...dot,
      '      }',
      '    }',
      '  }',
    ];
    return { kind: 'function', body: lines.join('\n'), macs: oh * ow * filters * kh * kw * cpg };
  }
  if (layout) {
    const rowAt = (r: string) => `((oy * ${sh} + ${r} - ${ph}) * ${w} + ox * ${sw} - ${pw}) * ${cin}`;
    const dot = (row: (r: string) => string) => packedDot({ layout, longWidth: ctx.longWidth, kernel, filters, rows, n: windowValues / rows, row, init, store, indent: '      ' });
    const zeroFilled = [
      '        memset(win, 0, sizeof win);',
      `        for (int ky = 0; ky < ${kh}; ky++) {`,
      `          const int iy = oy * ${sh} + ky - ${ph};`,
      `          if (iy < 0 || iy >= ${h}) continue;`,
      `          for (int kx = 0; kx < ${kw}; kx++) {`,
      `            const int ix = ox * ${sw} + kx - ${pw};`,
      `            if (ix < 0 || ix >= ${w}) continue;`,
      `            memcpy(win + (ky * ${kw} + kx) * ${cin}, in0 + (iy * ${w} + ix) * ${cin}, ${cin} * sizeof(model_number_t));`,
      '          }',
      '        }',
    ];
    const inside = `      const int inside = oy * ${sh} - ${ph} >= 0 && oy * ${sh} - ${ph} + ${kh} <= ${h} && ox * ${sw} - ${pw} >= 0 && ox * ${sw} - ${pw} + ${kw} <= ${w};`;
    const gathered = [`        for (int ky = 0; ky < ${kh}; ky++) memcpy(win + ky * ${kw * cin}, in0 + ${rowAt('ky')}, ${kw * cin} * sizeof(model_number_t));`];
    if (gatherPair) {
      const n = 4 * gatherWords;
      const row = kw * cin;
      // One window row (`row` values) as unaligned words (LDR/STR allow them on Armv7-M) and a short tail.
      const copyRow = (dst: number, src: string): string => {
        const parts: string[] = [];
        for (let b = 0; b < row; ) {
          const size = row - b >= 4 ? 4 : row - b >= 2 ? 2 : 1;
          const type = size === 4 ? 'uint32_t' : size === 2 ? 'uint16_t' : 'uint8_t';
          parts.push(`{ ${type} t; memcpy(&t, s + ${b}, ${size}); memcpy(dst + ${dst + b}, &t, ${size}); }`);
          b += size;
        }
        return `{ const model_number_t *s = ${src}; ${parts.join(' ')} }`;
      };
      const fill = (dst: string, px: string, ind: string): string[] => [
        `${ind}{`,
        `${ind}  const int px = ${px};`,
        `${ind}  model_number_t *dst = ${dst};`,
        ...(needsBorder
          ? [
              `${ind}  if (oy * ${sh} - ${ph} >= 0 && oy * ${sh} - ${ph} + ${kh} <= ${h} && px * ${sw} - ${pw} >= 0 && px * ${sw} - ${pw} + ${kw} <= ${w}) {`,
              ...Array.from({ length: kh }, (_, ky) => `${ind}    ${copyRow(ky * row, `in0 + ((oy * ${sh} + ${ky - ph}) * ${w} + px * ${sw} - ${pw}) * ${cin}`)}`),
              `${ind}  } else {`,
              `${ind}    memset(dst, 0, ${windowValues});`,
              `${ind}    for (int ky = 0; ky < ${kh}; ky++) {`,
              `${ind}      const int iy = oy * ${sh} + ky - ${ph};`,
              `${ind}      if (iy < 0 || iy >= ${h}) continue;`,
              `${ind}      for (int kx = 0; kx < ${kw}; kx++) {`,
              `${ind}        const int ix = px * ${sw} + kx - ${pw};`,
              `${ind}        if (ix < 0 || ix >= ${w}) continue;`,
              `${ind}        memcpy(dst + (ky * ${kw} + kx) * ${cin}, in0 + (iy * ${w} + ix) * ${cin}, ${cin});`,
              `${ind}      }`,
              `${ind}    }`,
              `${ind}  }`,
            ]
          : Array.from({ length: kh }, (_, ky) => `${ind}  ${copyRow(ky * row, `in0 + ((oy * ${sh} + ${ky}) * ${w} + px * ${sw}) * ${cin}`)}`)),
        `${ind}}`,
      ];
      if (gatherBlocks) {
        const wv = windowValues;
        // The window of pixel ox + k, every address as `in0 + (at + constant)` with at = the pair's window origin
        // (negative at a top or left border: the pointer is formed only for the values inside the input). With
        // addresses of their own (in0 + … + px * sw …) gcc made each border copy's address an induction
        // variable, stepped on every pixel pair on the stack (the blocks' asm needs every register); the pair's
        // border copies take an opaque copy of at (an empty asm), which gcc cannot step with ox either.
        const fillAt = (dst: string, k: number, ind: string, at = 'at'): string[] => {
          const px = k ? `(ox + ${k})` : 'ox';
          return [
            `${ind}{`,
            `${ind}  model_number_t *dst = ${dst};`,
            ...(needsBorder
              ? [
                  `${ind}  if (oy * ${sh} - ${ph} >= 0 && oy * ${sh} - ${ph} + ${kh} <= ${h} && ${px} * ${sw} - ${pw} >= 0 && ${px} * ${sw} - ${pw} + ${kw} <= ${w}) {`,
                  ...Array.from({ length: kh }, (_, ky) => `${ind}    ${copyRow(ky * row, `in0 + (${at} + ${(ky * w + k * sw) * cin})`)}`),
                  `${ind}  } else {`,
                  `${ind}    memset(dst, 0, ${windowValues});`,
                  `${ind}    for (int ky = 0; ky < ${kh}; ky++) {`,
                  `${ind}      const int iy = oy * ${sh} + ky - ${ph};`,
                  `${ind}      if (iy < 0 || iy >= ${h}) continue;`,
                  `${ind}      for (int kx = 0; kx < ${kw}; kx++) {`,
                  `${ind}        const int ix = ${px} * ${sw} + kx - ${pw};`,
                  `${ind}        if (ix < 0 || ix >= ${w}) continue;`,
                  `${ind}        memcpy(dst + (ky * ${kw} + kx) * ${cin}, in0 + (${at} + (ky * ${w} + kx) * ${cin} + ${k * sw * cin}), ${cin});`,
                  `${ind}      }`,
                  `${ind}    }`,
                  `${ind}  }`,
                ]
              : Array.from({ length: kh }, (_, ky) => `${ind}  ${copyRow(ky * row, `in0 + (${at} + ${(ky * w + k * sw) * cin})`)}`)),
            `${ind}}`,
          ];
        };
        const lines = [
          ...gatheredDefines,
          // Static, not on the stack (see c-pointwise.ts): the blocks' asm needs every register but xe's.
          `  static int32_t xe[${gatherBlocks.order.length}];`,
          `  static model_number_t win[${2 * wv}];`,
          `  for (int oy = 0; oy < ${oh}; oy++) {`,
          `    for (int ox = 0; ox < ${ow};) {`,
          `      model_number_t *o = out + (oy * ${ow} + ox) * ${filters};`,
          `      const int at = ${rowAt('0')};`,
          `      if (ox + 1 < ${ow}) {`,
          `        if (oy * ${sh} - ${ph} >= 0 && oy * ${sh} - ${ph} + ${kh} <= ${h} && ox * ${sw} - ${pw} >= 0 && (ox + 1) * ${sw} - ${pw} + ${kw} <= ${w}) {`,
          `          const model_number_t *pa = in0 + at;`,
          `          const model_number_t *pb = pa + ${sw * cin};`,
          ...gatheredExpand(gatherBlocks, 'pa', 'pb', w * cin, '          '),
          '        } else {',
          '          int bat = at;',
          '#if defined(__GNUC__)',
          '          __asm__("" : "+r"(bat));',
          '#endif',
          ...fillAt('win', 0, '          ', 'bat'),
          ...fillAt(`win + ${wv}`, 1, '          ', 'bat'),
          ...gatheredExpand(gatherBlocks, 'win', `(win + ${wv})`, kw * cin, '          '),
          '        }',
          ...pointwiseBlocks(gatherBlocks.plan, kernel, 2, '        '),
          '        ox += 2;',
          '        continue;',
          '      }',
          ...fillAt('win', 0, '      '),
          ...gatheredExpand(gatherBlocks, 'win', 'win', kw * cin, '      '),
          ...pointwiseBlocks(gatherBlocks.plan, kernel, 1, '      '),
          '      ox++;',
          '    }',
          '  }',
          '#undef MOTE_GP_PAIR',
        ];
        return { kind: 'function', body: lines.join('\n'), macs: oh * ow * filters * kh * kw * cpg };
      }
      const both = packedDotPair({
        kernel, filters, rows: 1, n, x: 'win', rowOffset: () => 0, pairOffset: n,
        init, storeA: (acc, f) => store(acc, f, 'ox'), storeB: (acc, f) => store(acc, f, 'ox + 1'), indent: '        ',
      });
      const one = packedDotSingle({ kernel, filters, rows: 1, n, x: 'win', rowOffset: () => 0, init, store, indent: '        ' });
      // The buffer's bound (≤ 1 KiB) keeps every offset within an LDR immediate, so both are always defined.
      if (!both || !one) throw new Error(`internal: gathered pixel pairs of ${layer.name} do not fit LDR offsets`);
      {
        const lines = [
          ...pixelPairDefines(),
          ...singleDefines(),
          // Both halves zero from the start (static storage): the copies never write the padding values past
          // windowValues. Static, not on the stack: a stack buffer's address took the register that the
          // pixel pairs' steps need when gcc inlines the layer (gcc 12: "impossible constraints").
          `  static int32_t winw[${2 * gatherWords}];`,
          '  model_number_t *win = (model_number_t *)winw;',
          `  for (int oy = 0; oy < ${oh}; oy++) {`,
          `    for (int ox = 0; ox < ${ow};) {`,
          `      if (ox + 1 < ${ow}) {`,
          ...fill('win', 'ox', '        '),
          ...fill(`win + ${n}`, 'ox + 1', '        '),
          ...both,
          '        ox += 2;',
          '        continue;',
          '      }',
          ...fill('win', 'ox', '      '),
          ...one,
          '      ox++;',
          '    }',
          '  }',
          ...pixelPairUndefs(),
          ...singleUndefs(),
        ];
        return { kind: 'function', body: lines.join('\n'), macs: oh * ow * filters * kh * kw * cpg };
      }
    }
    // Two pixels per pass over the weights where both windows lie inside the input (every pixel pair of a
    // 1×1 stride-1 convolution, taken as one row of oh·ow pixels); the others take the one-pixel loops.
    const pointwise = kh === 1 && kw === 1 && sh === 1 && sw === 1 && !needsBorder;
    const pairCols = pointwise ? oh * ow : ow;
    const pair = !gather && pairCols >= 2 && pixelPairApplies(layout, ctx.longWidth, windowValues / rows)
      ? packedDotPair({
          kernel, filters, rows, n: windowValues / rows, x: `in0 + ${rowAt('0')}`, rowOffset: (r) => r * w * cin, pairOffset: sw * cin,
          init, storeA: (acc, f) => store(acc, f, 'ox'), storeB: (acc, f) => store(acc, f, 'ox + 1'), indent: '        ',
        })
      : undefined;
    if (pair) {
      const pairFits = [`ox + 1 < ${pairCols}`, ...(needsBorder
        ? [`oy * ${sh} - ${ph} >= 0`, `oy * ${sh} - ${ph} + ${kh} <= ${h}`, `ox * ${sw} - ${pw} >= 0`, `(ox + 1) * ${sw} - ${pw} + ${kw} <= ${w}`]
        : [])].join(' && ');
      const n = windowValues / rows;
      const one = (x: string, rowStride: number, indent: string) =>
        packedDotSingle({ kernel, filters, rows, n, x, rowOffset: (r) => r * rowStride, init, store, indent });
      const inner = one(`in0 + ${rowAt('0')}`, w * cin, '        ');
      const copied = one('win', kw * cin, '        ');
      const single = needsBorder && inner && copied
        ? [inside, '      if (inside) {', ...inner, '      } else {', ...zeroFilled, ...copied, '      }']
        : !needsBorder && inner
        ? inner
        : needsBorder
        ? [
            inside,
            `      const model_number_t *base = win;`,
            ...(kh > 1 ? [`      int stride = ${kw * cin};`] : []),
            '      if (inside) {',
            `        base = in0 + ${rowAt('0')};`,
            ...(kh > 1 ? [`        stride = ${w * cin};`] : []),
            '      } else {',
            ...zeroFilled,
            '      }',
            ...dot((r) => (r === '0' ? 'base' : `base + ${r} * stride`)),
          ]
        : dot((r) => `in0 + ${rowAt(r)}`);
      const lines = [
        ...pixelPairDefines(),
        ...singleDefines(),
        ...(needsBorder ? [`  model_number_t win[${windowValues}];`] : []),
        ...(pointwise ? ['  {', '    const int oy = 0;'] : [`  for (int oy = 0; oy < ${oh}; oy++) {`]),
        `    for (int ox = 0; ox < ${pairCols};) {`,
        `      if (${pairFits}) {`,
        ...pair,
        '        ox += 2;',
        '        continue;',
        '      }',
        ...single,
        '      ox++;',
        '    }',
        '  }',
        ...pixelPairUndefs(),
        ...singleUndefs(),
      ];
      return { kind: 'function', body: lines.join('\n'), macs: oh * ow * filters * kh * kw * cpg };
    }
    const lines = gather
      ? [
          `  model_number_t win[${windowValues}];`,
          `  for (int oy = 0; oy < ${oh}; oy++) {`,
          `    for (int ox = 0; ox < ${ow}; ox++) {`,
          ...(needsBorder ? [inside, '      if (inside) {', ...gathered, '      } else {', ...zeroFilled, '      }'] : gathered.map((l) => l.slice(2))),
          ...dot(() => 'win'),
          '    }',
          '  }',
        ]
      : needsBorder
      ? [
          `  model_number_t win[${windowValues}];`,
          `  for (int oy = 0; oy < ${oh}; oy++) {`,
          `    for (int ox = 0; ox < ${ow}; ox++) {`,
          inside,
          `      const model_number_t *base = win;`,
          ...(kh > 1 ? [`      int stride = ${kw * cin};`] : []),
          '      if (inside) {',
          `        base = in0 + ${rowAt('0')};`,
          ...(kh > 1 ? [`        stride = ${w * cin};`] : []),
          '      } else {',
          ...zeroFilled,
          '      }',
          ...dot((r) => (r === '0' ? 'base' : `base + ${r} * stride`)),
          '    }',
          '  }',
        ]
      : [`  for (int oy = 0; oy < ${oh}; oy++) {`, `    for (int ox = 0; ox < ${ow}; ox++) {`, ...dot((r) => `in0 + ${rowAt(r)}`), '    }', '  }'];
    return { kind: 'function', body: lines.join('\n'), macs: oh * ow * filters * kh * kw * cpg };
  }
  const tail = store('acc', 'f');
  const c0 = layer.groups === 1 ? '0' : `(f / ${fpg}) * ${cpg}`;
  const border = [
    `        for (int ky = 0; ky < ${kh}; ky++) {`,
    `          const int iy = oy * ${sh} + ky - ${ph};`,
    `          if (iy < 0 || iy >= ${h}) continue;`,
    `          for (int kx = 0; kx < ${kw}; kx++) {`,
    `            const int ix = ox * ${sw} + kx - ${pw};`,
    `            if (ix < 0 || ix >= ${w}) continue;`,
    `            const model_number_t *x = in0 + (iy * ${w} + ix) * ${cin} + ${c0};`,
    `            const model_number_t *k = ${kernel} + ((f * ${kh} + ky) * ${kw} + kx) * ${cpg};`,
    dotProduct(ctx, cpg, 'x', 'k', 'acc', '            '),
    '          }',
    '        }',
  ];
  // Without groups, a window row inside the input is one contiguous run of kw·cin values in both the
  // input (channels_last) and the kernel ([f][kh][kw][c]): one long dot product, same order of terms.
  const interior = layer.groups === 1 && kw * cin > cpg
    ? [
        `        for (int ky = 0; ky < ${kh}; ky++) {`,
        `          const model_number_t *x = in0 + ((oy * ${sh} + ky - ${ph}) * ${w} + ox * ${sw} - ${pw}) * ${cin};`,
        `          const model_number_t *k = ${kernel} + (f * ${kh} + ky) * ${kw * cin};`,
        dotProduct(ctx, kw * cin, 'x', 'k', 'acc', '          '),
        '        }',
      ]
    : undefined;
  const filterLoop = (body: string[]) => [`      for (int f = 0; f < ${filters}; f++) {`, `        ${init('acc', 'f')}`, ...body, ...tail, '      }'];
  // SIMD dialect, no groups: interior windows compute two filters per pass over the input (each input
  // word loaded and unpacked once), then a single-filter pass for an odd last filter.
  let pairedInterior: string[] | undefined;
  if (interior && layer.groups === 1 && filters >= 2 && pairsFilters(ctx, kw * cin)) {
    const pairs = Math.floor(filters / 2) * 2;
    pairedInterior = [
      `      for (int f = 0; f < ${pairs}; f += 2) {`,
      `        ${init('acc0', 'f')}`,
      `        ${init('acc1', 'f + 1')}`,
      `        for (int ky = 0; ky < ${kh}; ky++) {`,
      `          const model_number_t *x = in0 + ((oy * ${sh} + ky - ${ph}) * ${w} + ox * ${sw} - ${pw}) * ${cin};`,
      `          const model_number_t *k0 = ${kernel} + (f * ${kh} + ky) * ${kw * cin};`,
      `          const model_number_t *k1 = k0 + ${kh * kw * cin};`,
      dotProduct2(ctx, kw * cin, 'x', 'k0', 'k1', 'acc0', 'acc1', '          '),
      '        }',
      ...store('acc0', 'f'),
      ...store('acc1', 'f + 1'),
      '      }',
      ...(pairs < filters ? ['      {', `        const int f = ${filters - 1};`, `        ${init('acc', 'f')}`, ...interior, ...tail, '      }'] : []),
    ];
  }
  let windowCheck: string[] = [];
  let loops: string[];
  if (!interior) loops = filterLoop(border);
  else if (!needsBorder) loops = pairedInterior ?? filterLoop(interior);
  else {
    windowCheck = [
      `      const int inside = oy * ${sh} - ${ph} >= 0 && oy * ${sh} - ${ph} + ${kh} <= ${h} && ox * ${sw} - ${pw} >= 0 && ox * ${sw} - ${pw} + ${kw} <= ${w};`,
    ];
    loops = pairedInterior
      ? ['      if (inside) {', ...pairedInterior.map((l) => `  ${l}`), '      } else {', ...filterLoop(border).map((l) => `  ${l}`), '      }']
      : filterLoop(['        if (inside) {', ...interior.map((l) => `  ${l}`), '        } else {', ...border.map((l) => `  ${l}`), '        }']);
  }
  const lines = [
    `  for (int oy = 0; oy < ${oh}; oy++) {`,
    `    for (int ox = 0; ox < ${ow}; ox++) {`,
    ...windowCheck,
    ...loops,
    '    }',
    '  }',
  ];
  return { kind: 'function', body: lines.join('\n'), macs: oh * ow * filters * kh * kw * cpg };
};
