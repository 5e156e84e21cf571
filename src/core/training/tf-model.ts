// The one tfjs interpreter of a ModelGraph, at the level of ops (no tf.layers): training, PTQ calibration
// and QAT all run it. Each layer runs its kind's tfjs facet (layers/<kind>/tfjs.ts: explicit symmetric
// padding, groups, BatchNorm with PyTorch's moving statistics, dropout in training only), loaded lazily
// from the layer table by `TfGraphModel.create`. The weights live in tf.Variables keyed like the graph
// (`<layer>/<role>`). 1-D layers run as 2-D ones on [N, 1, steps, channels], which keeps channels_last
// order for Flatten. With `quantization`, the graph runs as its integer model computes: the engine hands
// every calibrated output (and the graph input) to the hook, which records ranges and fake-quantizes.

import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../base/rng';
import type { TfjsForward, TfjsQuantization } from '../layers/facets/tfjs';
import { definitionOf, facetOf } from '../layers/table';
import type { Layer, ModelGraph } from '../models/graph';
import { cloneGraph } from '../models/serialize';
import { inferShapes } from '../models/shapes';

/** How QAT and calibration see a forward pass (quantization/qat.ts). */
export interface ForwardQuantization extends TfjsQuantization {
  /** The graph input (`isInput`) or a layer output with its own calibrated format: returns what the next
   * layers read (the tensor itself while calibrating, its fake-quantized value in QAT). */
  observe(layer: string, value: tf.Tensor, isInput: boolean): tf.Tensor;
}

export interface ForwardOptions {
  training: boolean;
  /** Draws dropout masks in training mode (seeded, so runs are reproducible). */
  rng?: Rng;
  /** Run as the integer model computes (needs every layer to have a quantization rule). */
  quantization?: ForwardQuantization;
}

/** Moving-statistics updates computed during a training forward pass, applied after the optimizer step. */
interface StatUpdate { variable: tf.Variable; value: tf.Tensor }

const BUFFER_ROLES = new Set(['mean', 'variance']);
let modelCounter = 0;

export class TfGraphModel {
  readonly graph: ModelGraph;
  readonly variables: Record<string, tf.Variable> = {};
  private pending: StatUpdate[] = [];
  private readonly forwards: ReadonlyMap<string, TfjsForward<Layer>>;

  /** Loads the tfjs facet of every kind in the graph, then builds the model. */
  static async create(graph: ModelGraph): Promise<TfGraphModel> {
    const forwards = new Map<string, TfjsForward<Layer>>();
    for (const layer of graph.layers.slice(1)) {
      if (!forwards.has(layer.kind)) forwards.set(layer.kind, await facetOf(layer, 'tfjs')());
    }
    return new TfGraphModel(graph, forwards);
  }

  private constructor(graph: ModelGraph, forwards: ReadonlyMap<string, TfjsForward<Layer>>) {
    this.graph = cloneGraph(graph);
    this.forwards = forwards;
    if (Object.keys(this.graph.shapes).length !== this.graph.layers.length) inferShapes(this.graph);
    const prefix = `mote${++modelCounter}_`;
    for (const [key, tensor] of Object.entries(this.graph.weights)) {
      const role = key.slice(key.lastIndexOf('/') + 1);
      // tidy disposes the initial tensor; the variable keeps its own reference to the data.
      this.variables[key] = tf.tidy(() => tf.variable(tf.tensor(tensor.data, tensor.shape, 'float32'), !BUFFER_ROLES.has(role), prefix + key.replace('/', '__')));
    }
  }

  /** Trainable variables (everything except BatchNorm moving statistics). */
  trainable(): tf.Variable[] {
    return Object.values(this.variables).filter((v) => v.trainable);
  }

  /** True when the last layer turns logits into probabilities (Softmax): losses then read its input. */
  get endsWithSoftmax(): boolean {
    return definitionOf(this.graph.layers[this.graph.layers.length - 1]).normalizesLogits === true;
  }

  /** Reshapes a flat batch to the internal 4-D/2-D layout. */
  inputTensor(x: Float32Array, batch: number): tf.Tensor {
    const shape = this.graph.shapes[this.graph.layers[0].name];
    const internal = shape.length === 2 ? [batch, 1, shape[0], shape[1]] : [batch, ...shape];
    return tf.tensor(x, internal, 'float32');
  }

  /**
   * Runs the graph. Returns logits (the input of a final Softmax, if any, unless `withSoftmax`).
   * In training mode BatchNorm uses batch statistics and queues moving-statistics updates; call
   * `applyStatUpdates()` after the step.
   */
  forward(x: tf.Tensor, options: ForwardOptions & { withSoftmax?: boolean }): tf.Tensor2D {
    const values = new Map<string, tf.Tensor>();
    const layers = this.graph.layers;
    const stop = this.endsWithSoftmax && !options.withSoftmax ? layers.length - 1 : layers.length;
    const { quantization } = options;
    const queueStatUpdate = (variable: tf.Variable, value: tf.Tensor) => { this.pending.push({ variable, value }); };
    // Every layer needs a quantization rule (a final Softmax too, though the losses skip it).
    const calibrated = quantization ? layers.map((layer, i) => i > 0 && facetOf(layer, 'quantize').calibrated(layer)) : [];
    values.set(layers[0].name, quantization ? quantization.observe(layers[0].name, x, true) : x);
    for (let i = 1; i < stop; i++) {
      const layer = layers[i];
      const out = this.forwards.get(layer.kind)!(layer, {
        inputs: layer.inputs.map((name) => values.get(name)!),
        weight: (role) => this.variables[`${layer.name}/${role}`],
        training: options.training,
        rng: options.rng,
        quantization,
        queueStatUpdate,
      });
      values.set(layer.name, calibrated[i] ? quantization!.observe(layer.name, out, false) : out);
    }
    const out = values.get(layers[stop - 1].name)!;
    return (out.rank === 2 ? out : tf.reshape(out, [out.shape[0], -1])) as tf.Tensor2D;
  }

  /** Applies (and forgets) the moving-statistics updates of the last training forward pass. */
  applyStatUpdates(): void {
    for (const { variable, value } of this.pending) {
      variable.assign(value);
      value.dispose();
    }
    this.pending = [];
  }

  /** Drops queued updates (a cancelled or failed step). */
  discardStatUpdates(): void {
    for (const { value } of this.pending) value.dispose();
    this.pending = [];
  }

  /** Current weights, copied out. */
  /** Asynchronous reads: WebGPU has no cheap synchronous download. */
  async readWeights(): Promise<ModelGraph['weights']> {
    const out: ModelGraph['weights'] = {};
    const entries = Object.entries(this.variables);
    const values = await Promise.all(entries.map(([, variable]) => variable.data()));
    entries.forEach(([key, variable], i) => { out[key] = { shape: [...variable.shape], data: Float32Array.from(values[i] as Float32Array) }; });
    return out;
  }

  writeWeights(weights: ModelGraph['weights']): void {
    for (const [key, tensor] of Object.entries(weights)) tf.tidy(() => this.variables[key].assign(tf.tensor(tensor.data, tensor.shape, 'float32')));
  }

  /** A new ModelGraph with the current weights. */
  async toGraph(): Promise<ModelGraph> {
    const graph = cloneGraph(this.graph);
    graph.weights = await this.readWeights();
    return graph;
  }

  dispose(): void {
    this.discardStatUpdates();
    for (const variable of Object.values(this.variables)) variable.dispose();
  }
}
