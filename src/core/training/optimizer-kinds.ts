// The optimizer kinds (`optimizer.kind`, torch.optim class names) as config validation sees them: name,
// summary and params only. Their tfjs implementations are in optimizers.ts, which only training loads, so
// validating an experiment never pulls in tfjs.

import { type Infer, boolean, list, number, table } from '../base/schema';
import type { KindInfo } from '../base/kinds';

const adamParams = table({
  lr: number(0.001, { min: 0 }),
  betas: list(number(undefined, { min: 0, max: 1 }), [0.9, 0.999]),
  eps: number(1e-8, { min: 0 }),
  weight_decay: number(0, { min: 0 }),
  amsgrad: boolean(false),
});

const sgdParams = table({
  lr: number(0.001, { min: 0 }),
  momentum: number(0, { min: 0 }),
  dampening: number(0, { min: 0 }),
  weight_decay: number(0, { min: 0 }),
  nesterov: boolean(false),
});

export const optimizerKinds = {
  Adam: { kind: 'Adam', summary: 'Adam (torch.optim.Adam; weight_decay is L2 added to the gradient)', params: adamParams },
  AdamW: {
    kind: 'AdamW', summary: 'AdamW (torch.optim.AdamW; decoupled weight decay, default 0.01)',
    params: table({ ...adamParams.shape, weight_decay: number(0.01, { min: 0 }) }),
  },
  SGD: { kind: 'SGD', summary: 'Stochastic gradient descent with optional momentum/nesterov (torch.optim.SGD)', params: sgdParams },
} satisfies Record<string, KindInfo<any>>;

export type OptimizerKindName = keyof typeof optimizerKinds;
export type OptimizerParams<K extends OptimizerKindName> = Infer<(typeof optimizerKinds)[K]['params']>;
