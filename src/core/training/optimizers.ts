// Optimizers with PyTorch's exact update rules (torch.optim), written over tfjs ops so that every backend
// runs the same arithmetic: Adam (L2 weight decay added to the gradient), AdamW (decoupled weight decay),
// SGD (momentum, dampening, nesterov, weight decay). The learning rate is passed per step, so schedulers
// stay plain functions of the epoch. Their params (what config validation reads) are in optimizer-kinds.ts.

import * as tf from '@tensorflow/tfjs-core';
import { optimizerKinds, type OptimizerParams } from './optimizer-kinds';

export interface Optimizer {
  readonly kind: string;
  /** The learning rate before any scheduler (the `lr` param). */
  readonly baseLr: number;
  /** One step over `variables` with their gradients (same keys: variable names). */
  step(variables: tf.Variable[], grads: Record<string, tf.Tensor>, lr: number): void;
  /** Everything the next steps depend on (step count, moment buffers), keyed by variable name. */
  saveState(): Promise<OptimizerState>;
  /** Continues from a saved state; `variables` are the ones later steps will update (found by name). */
  loadState(state: OptimizerState, variables: tf.Variable[]): void;
  dispose(): void;
}

/** An optimizer's state as plain data (checkpoint.ts persists it). */
export interface OptimizerState {
  kind: string;
  steps: number;
  /** Variable name → its slot buffers, in the optimizer's own order. */
  slots: Record<string, { shape: number[]; data: Float32Array }[]>;
  /** SGD: variables whose momentum buffer holds a first gradient already. */
  started: string[];
}

abstract class StatefulOptimizer implements Optimizer {
  abstract readonly kind: string;
  abstract readonly baseLr: number;
  protected readonly slots = new Map<string, tf.Variable[]>();
  protected steps = 0;

  protected slot(variable: tf.Variable, count: number): tf.Variable[] {
    let state = this.slots.get(variable.name);
    if (!state) {
      state = Array.from({ length: count }, () => tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
      this.slots.set(variable.name, state);
    }
    return state;
  }

  step(variables: tf.Variable[], grads: Record<string, tf.Tensor>, lr: number): void {
    this.steps++;
    for (const variable of variables) {
      const grad = grads[variable.name];
      if (!grad) continue;
      tf.tidy(() => this.update(variable, grad, lr));
    }
  }

  protected abstract update(variable: tf.Variable, grad: tf.Tensor, lr: number): void;

  /** Names of variables past their first step, for optimizers that treat the first step apart. */
  protected readonly started = new Set<string>();

  async saveState(): Promise<OptimizerState> {
    const slots: OptimizerState['slots'] = {};
    for (const [name, buffers] of this.slots) {
      slots[name] = await Promise.all(buffers.map(async (b) => ({ shape: [...b.shape], data: Float32Array.from((await b.data()) as Float32Array) })));
    }
    return { kind: this.kind, steps: this.steps, slots, started: [...this.started] };
  }

  loadState(state: OptimizerState, variables: tf.Variable[]): void {
    if (state.kind !== this.kind) throw new RangeError(`the saved optimizer state is ${state.kind}'s, not ${this.kind}'s`);
    const byName = new Map(variables.map((v) => [v.name, v]));
    for (const name of [...Object.keys(state.slots), ...state.started]) {
      if (!byName.has(name)) throw new RangeError(`the saved optimizer state holds variable '${name}', which this model does not have`);
    }
    this.dispose();
    this.steps = state.steps;
    for (const [name, buffers] of Object.entries(state.slots)) {
      const variable = byName.get(name)!;
      for (const b of buffers) {
        if (b.shape.join('x') !== variable.shape.join('x')) throw new RangeError(`the saved optimizer state of '${name}' has shape [${b.shape.join(', ')}], the variable [${variable.shape.join(', ')}]`);
      }
      this.slots.set(name, buffers.map((b) => tf.tidy(() => tf.variable(tf.tensor(b.data, b.shape, 'float32'), false))));
    }
    for (const name of state.started) this.started.add(name);
  }

  dispose(): void {
    for (const state of this.slots.values()) for (const v of state) v.dispose();
    this.slots.clear();
    this.started.clear();
  }
}

class Adam extends StatefulOptimizer {
  readonly kind: string;
  readonly baseLr: number;
  constructor(private readonly p: OptimizerParams<'Adam'>, private readonly decoupled: boolean) {
    super();
    this.kind = decoupled ? 'AdamW' : 'Adam';
    this.baseLr = p.lr;
  }

  protected update(variable: tf.Variable, grad: tf.Tensor, lr: number): void {
    const [beta1, beta2] = this.p.betas;
    const wd = this.p.weight_decay;
    const [m, v, vMax] = this.slot(variable, this.p.amsgrad ? 3 : 2);
    let param: tf.Tensor = variable;
    let g = grad;
    if (wd !== 0) {
      if (this.decoupled) param = tf.mul(variable, 1 - lr * wd);
      else g = tf.add(g, tf.mul(variable, wd));
    }
    m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
    v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.mul(g, g), 1 - beta2)));
    let second: tf.Tensor = v;
    if (vMax) {
      vMax.assign(tf.maximum(vMax, v));
      second = vMax;
    }
    const c1 = 1 - beta1 ** this.steps;
    const c2 = 1 - beta2 ** this.steps;
    // torch: p -= lr/c1 · m / (√v/√c2 + eps)
    const denom = tf.add(tf.div(tf.sqrt(second), Math.sqrt(c2)), this.p.eps);
    variable.assign(tf.sub(param, tf.mul(tf.div(m, denom), lr / c1)));
  }
}

class Sgd extends StatefulOptimizer {
  readonly kind = 'SGD';
  readonly baseLr: number;
  constructor(private readonly p: OptimizerParams<'SGD'>) {
    super();
    this.baseLr = p.lr;
  }

  protected update(variable: tf.Variable, grad: tf.Tensor, lr: number): void {
    let g = grad;
    if (this.p.weight_decay !== 0) g = tf.add(g, tf.mul(variable, this.p.weight_decay));
    if (this.p.momentum !== 0) {
      const [buffer] = this.slot(variable, 1);
      // torch initialises the buffer with the first gradient (no dampening on that step).
      if (!this.started.has(variable.name)) {
        buffer.assign(g);
        this.started.add(variable.name);
      } else {
        buffer.assign(tf.add(tf.mul(buffer, this.p.momentum), tf.mul(g, 1 - this.p.dampening)));
      }
      g = this.p.nesterov ? tf.add(g, tf.mul(buffer, this.p.momentum)) : buffer;
    }
    variable.assign(tf.sub(variable, tf.mul(g, lr)));
  }
}

/** The tfjs implementation of every optimizer kind in optimizer-kinds.ts (a missing one is a compile error). */
export const optimizerImplementations: { [K in keyof typeof optimizerKinds]: (params: OptimizerParams<K>) => Optimizer } = {
  Adam: (p) => new Adam(p, false),
  AdamW: (p) => new Adam(p, true),
  SGD: (p) => new Sgd(p),
};
