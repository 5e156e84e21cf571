import type { CEmitter } from '../facets/c';
import { accumulatorSetup } from '../shared/accumulator';
import { accumulatorMax, activationStatements, dotProduct, dotProduct2, packedDot, packedDotSingle, packedLayout, packWeights, pairsFilters, pixelPairApplies, requantizeExpr, singleDefines, singleUndefs } from '../shared/arith-c';
import type { DenseLayer } from './layer';

/** Kernel re-ordered from the IR's [in, units] to [units][in] so each output reads contiguous weights. */
function unitMajor(kernel: ArrayLike<number>, inputs: number, units: number): Float64Array {
  const out = new Float64Array(kernel.length);
  for (let i = 0; i < inputs; i++) for (let u = 0; u < units; u++) out[u * inputs + i] = kernel[i * units + u];
  return out;
}

export const denseC: CEmitter<DenseLayer> = (layer, ctx) => {
  const inputs = ctx.inShapes[0][0];
  const units = layer.units;
  const fixed = ctx.number !== 'float32';
  const source = fixed ? ctx.intWeight('kernel')! : ctx.weight('kernel');
  // SIMD dialect: weights pre-packed (arith-c.ts `packWeights`), blocks of units per pass over the input.
  const layout = packedLayout(ctx);
  const kernel = layout ? ctx.constArray('kernel', 'word', packWeights(unitMajor(source, inputs, units), units, 1, inputs, layout)) : ctx.constArray('kernel', 'number', unitMajor(source, inputs, units));
  let biasName: string | undefined;
  /** Statements storing accumulator `acc` as output `u`. */
  let store: (acc: string, u: string) => string[];
  const accType = fixed ? 'mote_acc_t' : 'float';
  if (fixed) {
    const setup = accumulatorSetup(ctx.format!, ctx.intWeight('bias'), layer.activation, ctx.inFracs[0], ctx.longWidth);
    if (setup.bias) biasName = ctx.constArray('bias', 'acc', setup.bias);
    store = (acc, u) => {
      const act = activationStatements(ctx, layer.activation, acc, setup.accFrac, '    ', accumulatorMax(ctx.longWidth));
      return [...(act ? [act] : []), `    out[${u}] = ${requantizeExpr(ctx, acc, setup.shift, ctx.format!.round, true)};`];
    };
  } else {
    if (layer.useBias) biasName = ctx.constArray('bias', 'number', ctx.weight('bias'));
    store = (acc, u) => {
      const act = activationStatements(ctx, layer.activation, acc, 0, '    ', 0);
      return [...(act ? [act] : []), `    out[${u}] = ${acc};`];
    };
  }
  const init = (acc: string, u: string) => `    ${accType} ${acc} = ${biasName ? `${biasName}[${u}]` : '0'};`;
  const single = (from: string) => [
    `  for (int u = ${from}; u < ${units}; u++) {`,
    init('acc', 'u'),
    `    const model_number_t *k = ${kernel} + u * ${inputs};`,
    dotProduct(ctx, inputs, 'in0', 'k', 'acc', '    '),
    ...store('acc', 'u'),
    '  }',
  ];
  let lines: string[];
  const asm = pixelPairApplies(layout, ctx.longWidth, inputs)
    ? packedDotSingle({ kernel, filters: units, rows: 1, n: inputs, x: 'in0', rowOffset: () => 0, init: (acc, u) => init(acc, u).trim(), store, indent: '  ' })
    : undefined;
  if (asm) lines = [...singleDefines(), ...asm, ...singleUndefs()];
  else if (layout) lines = packedDot({ layout, longWidth: ctx.longWidth, kernel, filters: units, rows: 1, n: inputs, row: () => 'in0', init: (acc, u) => init(acc, u).trim(), store, indent: '  ' });
  else if (units >= 2 && pairsFilters(ctx, inputs)) {
    // SIMD dialect: two units per pass, each input word loaded and unpacked once for both.
    const pairs = Math.floor(units / 2) * 2;
    lines = [
      `  for (int u = 0; u < ${pairs}; u += 2) {`,
      init('acc0', 'u'),
      init('acc1', 'u + 1'),
      `    const model_number_t *k0 = ${kernel} + u * ${inputs};`,
      `    const model_number_t *k1 = k0 + ${inputs};`,
      dotProduct2(ctx, inputs, 'in0', 'k0', 'k1', 'acc0', 'acc1', '    '),
      ...store('acc0', 'u'),
      ...store('acc1', 'u + 1'),
      '  }',
      ...(pairs < units ? single(String(pairs)) : []),
    ];
  } else lines = single('0');
  return { kind: 'function', body: lines.join('\n'), macs: inputs * units };
};
