// Helper the model kinds use to assemble a ModelGraph layer by layer: it tracks shapes as layers are added
// (so a wrong parameter fails at the layer it concerns) and draws initial weights like PyTorch's defaults
// (Conv/Linear weight and bias ~ U(-1/√fan_in, 1/√fan_in); BatchNorm γ=1, β=0, mean 0, variance 1).

import type { KindInfo } from '../base/kinds';
import { createRng, type Rng } from '../base/rng';
import { type Activation, MODEL_GRAPH_FORMAT_VERSION, type Layer, type ModelGraph, type SpatialDims } from './graph';
import { isInputLayer } from '../layers/input/layer';
import { ModelGraphError, inferShapes, layerOutputShape, sizeOf, weightShapes } from './shapes';

export interface BuildOptions {
  /** Initial weights are drawn from this generator (default: `createRng(0)`). */
  rng?: Rng;
  /** The workspace files the kind's `files(params)` named, read by the caller (build itself does no I/O). */
  files?: Record<string, Uint8Array>;
}

/** A [[model]] kind: Qualia's constructor as a function from params to a ModelGraph with initial weights. */
export interface ModelKind<P = any> extends KindInfo<P> {
  /** `inputShape` is channels_last without batch; `outputClasses` the size of the last layer. */
  build(params: P, inputShape: number[], outputClasses: number, name: string, options?: BuildOptions): ModelGraph;
  /** Workspace paths the kind reads (an imported model file); the caller passes their bytes as `options.files`. */
  files?(params: P): string[];
}

type Spatial = number | number[];

function perDim(value: Spatial, dims: SpatialDims, what: string, layer: string): number[] {
  const values = Array.isArray(value) ? value : Array(dims).fill(value);
  if (values.length !== dims) throw new ModelGraphError(`layer '${layer}': ${what} [${values.join(', ')}] must have ${dims} entr${dims === 1 ? 'y' : 'ies'} for a ${dims}-D model`);
  return values;
}

export class GraphBuilder {
  readonly layers: Layer[] = [];
  readonly shapes: Record<string, number[]> = {};
  readonly weights: ModelGraph['weights'] = {};
  private readonly rng: Rng;

  constructor(readonly name: string, inputShape: number[], rng: Rng = createRng(0)) {
    this.rng = rng;
    this.push({ kind: 'Input', name: 'input', inputs: [], shape: [...inputShape] });
  }

  /** Name of the last layer added. */
  get last(): string {
    return this.layers[this.layers.length - 1].name;
  }

  shapeOf(name: string): number[] {
    return this.shapes[name];
  }

  private push(layer: Layer): string {
    const inputs = layer.inputs.map((n) => this.shapes[n]);
    this.shapes[layer.name] = layerOutputShape(layer, inputs);
    if (!isInputLayer(layer)) this.initWeights(layer, inputs[0]);
    this.layers.push(layer);
    return layer.name;
  }

  private initWeights(layer: Layer, inputShape: number[]): void {
    const shapes = weightShapes(layer, inputShape);
    const kernel = shapes.kernel;
    const fanIn = kernel ? sizeOf(kernel.slice(0, -1)) : 1;
    const bound = 1 / Math.sqrt(fanIn);
    for (const [role, shape] of Object.entries(shapes)) {
      const data = new Float32Array(sizeOf(shape));
      if (role === 'kernel' || role === 'bias') for (let i = 0; i < data.length; i++) data[i] = (this.rng.next() * 2 - 1) * bound;
      else if (role === 'gamma' || role === 'variance') data.fill(1);
      this.weights[`${layer.name}/${role}`] = { shape, data };
    }
  }

  conv(name: string, options: { dims: SpatialDims; filters: number; kernel: Spatial; stride?: Spatial; padding?: Spatial; groups?: number; useBias?: boolean; input?: string }): string {
    const { dims } = options;
    return this.push({
      kind: 'Conv', name, inputs: [options.input ?? this.last], dims, filters: options.filters,
      kernel: perDim(options.kernel, dims, 'kernel size', name),
      stride: perDim(options.stride ?? 1, dims, 'stride', name),
      padding: perDim(options.padding ?? 0, dims, 'padding', name),
      groups: options.groups ?? 1, useBias: options.useBias ?? true, activation: 'linear',
    });
  }

  dense(name: string, units: number, options: { useBias?: boolean; input?: string } = {}): string {
    return this.push({ kind: 'Dense', name, inputs: [options.input ?? this.last], units, useBias: options.useBias ?? true, activation: 'linear' });
  }

  batchNorm(name: string, options: { momentum?: number; epsilon?: number; input?: string } = {}): string {
    return this.push({ kind: 'BatchNorm', name, inputs: [options.input ?? this.last], epsilon: options.epsilon ?? 1e-5, momentum: options.momentum ?? 0.1 });
  }

  relu(name: string, input?: string): string {
    return this.push({ kind: 'ReLU', name, inputs: [input ?? this.last] });
  }

  dropout(name: string, rate: number): string {
    return this.push({ kind: 'Dropout', name, inputs: [this.last], rate });
  }

  pool(kind: 'MaxPool' | 'AvgPool', name: string, dims: SpatialDims, size: Spatial, input?: string): string {
    const pool = perDim(size, dims, 'pool size', name);
    return this.push({ kind, name, inputs: [input ?? this.last], dims, pool, stride: [...pool] });
  }

  globalPool(name: string, mode: 'max' | 'avg' | 'sum'): string {
    return this.push({ kind: 'GlobalPool', name, inputs: [this.last], mode });
  }

  add(name: string, inputs: string[], activation: Activation = 'linear'): string {
    return this.push({ kind: 'Add', name, inputs, activation });
  }

  flatten(name: string): string {
    return this.push({ kind: 'Flatten', name, inputs: [this.last] });
  }

  finish(): ModelGraph {
    return inferShapes({ formatVersion: MODEL_GRAPH_FORMAT_VERSION, name: this.name, layers: this.layers, shapes: this.shapes, weights: this.weights });
  }
}

/** Qualia's `params.input_shape` / `params.output_shape` override the dataset-derived shapes. */
export function resolveShapes(params: { input_shape?: number[]; output_shape?: number[] }, inputShape: number[], outputClasses: number): { input: number[]; classes: number } {
  return { input: params.input_shape ?? inputShape, classes: params.output_shape?.[0] ?? outputClasses };
}
