import type { CEmitter } from '../facets/c';
import { requantizeExpr } from '../shared/arith-c';
import type { GlobalPoolLayer } from './layer';

export const globalPoolC: CEmitter<GlobalPoolLayer> = (layer, ctx) => {
  const channels = ctx.outShape[0];
  const positions = ctx.inShapes[0].reduce((a, b) => a * b, 1) / channels;
  const float = ctx.number === 'float32';
  let decl: string;
  let step: string;
  let store: string;
  if (layer.mode === 'max') {
    decl = 'model_number_t acc = in0[ch];';
    step = `if (in0[p * ${channels} + ch] > acc) acc = in0[p * ${channels} + ch];`;
    store = 'acc';
  } else {
    decl = float ? 'float acc = 0.0f;' : 'int32_t acc = 0;';
    step = `acc += in0[p * ${channels} + ch];`;
    if (layer.mode === 'avg') store = float ? `acc / ${positions}.0f` : `(model_number_t)(acc / ${positions})`;
    else store = float ? 'acc' : requantizeExpr(ctx, 'acc', ctx.inFracs[0] - ctx.format!.output, ctx.format!.round, false);
  }
  const lines = [
    `  for (int ch = 0; ch < ${channels}; ch++) {`,
    `    ${decl}`,
    `    for (int p = ${layer.mode === 'max' ? 1 : 0}; p < ${positions}; p++) ${step}`,
    `    out[ch] = ${store};`,
    '  }',
  ];
  return { kind: 'function', body: lines.join('\n'), macs: 0 };
};
