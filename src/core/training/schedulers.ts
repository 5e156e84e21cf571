// Learning-rate schedulers as closed forms of the epoch index (PyTorch steps them once per epoch, as
// Lightning does by default). `lrAt(epoch)` is the rate used during 0-based `epoch`.

import { type Infer, integer, list, number, table } from '../base/schema';
import type { KindInfo } from '../base/kinds';

export interface Scheduler {
  readonly kind: string;
  lrAt(epoch: number, baseLr: number): number;
}

export interface SchedulerKind<P = any> extends KindInfo<P> {
  create(params: P): Scheduler;
}

const stepParams = table({ step_size: integer(undefined, { min: 1 }), gamma: number(0.1), last_epoch: integer(-1) });
export const stepLR: SchedulerKind<Infer<typeof stepParams>> = {
  kind: 'StepLR', summary: 'Multiplies the rate by gamma every step_size epochs (torch StepLR)', params: stepParams,
  create: (p) => ({ kind: 'StepLR', lrAt: (epoch, lr) => lr * p.gamma ** Math.floor(epoch / p.step_size) }),
};

const multiStepParams = table({ milestones: list(integer(undefined, { min: 0 })), gamma: number(0.1), last_epoch: integer(-1) });
export const multiStepLR: SchedulerKind<Infer<typeof multiStepParams>> = {
  kind: 'MultiStepLR', summary: 'Multiplies the rate by gamma at each milestone epoch (torch MultiStepLR)', params: multiStepParams,
  create: (p) => ({ kind: 'MultiStepLR', lrAt: (epoch, lr) => lr * p.gamma ** p.milestones.filter((m) => m <= epoch).length }),
};

const cosineParams = table({ T_max: integer(undefined, { min: 1 }), eta_min: number(0), last_epoch: integer(-1) });
export const cosineAnnealingLR: SchedulerKind<Infer<typeof cosineParams>> = {
  kind: 'CosineAnnealingLR', summary: 'Cosine annealing from the rate to eta_min over T_max epochs (torch closed form)', params: cosineParams,
  create: (p) => ({ kind: 'CosineAnnealingLR', lrAt: (epoch, lr) => p.eta_min + ((lr - p.eta_min) * (1 + Math.cos((Math.PI * epoch) / p.T_max))) / 2 }),
};

const exponentialParams = table({ gamma: number(), last_epoch: integer(-1) });
export const exponentialLR: SchedulerKind<Infer<typeof exponentialParams>> = {
  kind: 'ExponentialLR', summary: 'Multiplies the rate by gamma every epoch (torch ExponentialLR)', params: exponentialParams,
  create: (p) => ({ kind: 'ExponentialLR', lrAt: (epoch, lr) => lr * p.gamma ** epoch }),
};

const sinDescentParams = table({ epoch: integer(-1), pme: number(0), w: number(1), lr0: number(0.1), lrf: number(0.1), last_epoch: integer(-1) });
/**
 * Qualia's SinDescent (learningframework/CustomScheduler.py): a linear descent from lr0 to lrf over `epoch`
 * epochs plus a sine of `w` periods whose amplitude `pme` shrinks linearly to 0. It ignores the optimizer's lr:
 *   lr(t) = (1 − t/epoch)·pme·sin(2π·w·t/epoch) + lr0 + (lrf − lr0)·t/epoch
 */
export const sinDescent: SchedulerKind<Infer<typeof sinDescentParams>> = {
  kind: 'SinDescent', summary: "Qualia's sine-modulated linear descent from lr0 to lrf", params: sinDescentParams,
  create: (p) => ({
    kind: 'SinDescent',
    lrAt: (t) => {
      const lts = (-t / p.epoch + 1) * p.pme;
      const sf = Math.sin((t / p.epoch) * 2 * p.w * Math.PI);
      const ovs = (-p.epoch * p.lr0) / (p.lrf - p.lr0);
      return lts * sf + p.lr0 * (-t / ovs + 1);
    },
  }),
};

/** `optimizer.scheduler.kind` values Mote supports (torch.optim.lr_scheduler names + Qualia's SinDescent). */
export const schedulerKinds = {
  StepLR: stepLR, MultiStepLR: multiStepLR, CosineAnnealingLR: cosineAnnealingLR, ExponentialLR: exponentialLR, SinDescent: sinDescent,
} satisfies Record<string, SchedulerKind<any>>;

export const constantLR: Scheduler = { kind: 'constant', lrAt: (_epoch, lr) => lr };
