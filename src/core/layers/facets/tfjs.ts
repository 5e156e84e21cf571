// tfjs facet: one layer as tfjs ops, for the one tfjs interpreter (training/tf-model.ts) that training,
// PTQ calibration and QAT share. Facet files import tfjs, so the layer table loads them with import()
// (see table.ts); this contract only names tfjs types.
//
// Layout: spatial tensors are 4-D [N, h, w, c] (1-D layers run with h = 1, which keeps channels_last order
// for Flatten), flat ones [N, features].

import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../base/rng';
import type { LayerBase } from '../ir';

/** Present when the graph runs as its integer model computes (calibration, QAT): the engine quantizes every
 * calibrated output itself; a layer with weights passes them through `params`. */
export interface TfjsQuantization {
  /** Kernel and bias as the integer model uses them: fake-quantized in QAT, unchanged while calibrating. */
  params(kernel: tf.Tensor, bias: tf.Tensor | undefined): [tf.Tensor, tf.Tensor | undefined];
}

export interface TfjsContext {
  inputs: tf.Tensor[];
  /** The tf.Variable holding the layer's weight of a role. */
  weight(role: string): tf.Variable;
  /** Training mode (batch statistics, dropout); false for inference, calibration and QAT. */
  training: boolean;
  /** Draws dropout masks in training mode (seeded, so runs are reproducible). */
  rng?: Rng;
  quantization?: TfjsQuantization;
  /** Queues a moving-statistics update, applied after the optimizer step (BatchNorm in training). */
  queueStatUpdate(variable: tf.Variable, value: tf.Tensor): void;
}

export type TfjsForward<L extends LayerBase> = (layer: L, ctx: TfjsContext) => tf.Tensor;
