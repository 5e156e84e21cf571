// Plain TypeScript float forward pass over a ModelGraph (inference semantics: BatchNorm uses its moving
// statistics, Dropout is the identity). It is the float reference the tfjs trainer, the quantizer and the
// generated float32 C are checked against. Each layer runs its kind's float facet (layers/<kind>/float.ts:
// obvious loops, sums in double precision); this engine stores every output as float32.

import { facetOf } from '../layers/table';
import type { ModelGraph } from './graph';
import { ModelGraphError, inferShapes, sizeOf } from './shapes';

export interface FloatBatch {
  /** `batch` samples back to back, each channels_last with the graph's input shape. */
  data: Float32Array;
  batch: number;
}

export interface FloatForwardResult {
  /** The last layer's output, [batch, ...outputShape] flattened. */
  output: Float32Array;
  shape: number[];
  /** Every layer's output by name, when asked with `keepActivations`. */
  activations?: Record<string, Float32Array>;
}

/** Runs the graph on a batch of inputs. */
export function forwardFloat(graph: ModelGraph, batch: FloatBatch, options: { keepActivations?: boolean } = {}): FloatForwardResult {
  if (Object.keys(graph.shapes).length !== graph.layers.length) inferShapes(graph);
  const inputLayer = graph.layers[0];
  const inputSize = sizeOf(graph.shapes[inputLayer.name]);
  if (batch.data.length !== inputSize * batch.batch) {
    throw new ModelGraphError(`model '${graph.name}': the input batch holds ${batch.data.length} values, expected ${batch.batch} × ${inputSize} (shape [${graph.shapes[inputLayer.name].join(', ')}])`);
  }
  const last = graph.layers[graph.layers.length - 1];
  const outShape = graph.shapes[last.name];
  const outSize = sizeOf(outShape);
  const output = new Float32Array(outSize * batch.batch);
  const activations: Record<string, Float32Array> | undefined = options.keepActivations ? {} : undefined;
  if (activations) for (const layer of graph.layers) activations[layer.name] = new Float32Array(sizeOf(graph.shapes[layer.name]) * batch.batch);
  // The graph input (layers[0]) is fed from the batch; every other layer runs its kind's float facet.
  const steps = graph.layers.slice(1).map((layer) => {
    const run = facetOf(layer, 'float');
    const weight = (role: string) => graph.weights[`${layer.name}/${role}`].data;
    return { layer, run, weight, inShapes: layer.inputs.map((name) => graph.shapes[name]), outShape: graph.shapes[layer.name] };
  });
  for (let b = 0; b < batch.batch; b++) {
    const values = new Map<string, Float32Array>();
    const sample = Float32Array.from(batch.data.subarray(b * inputSize, (b + 1) * inputSize));
    values.set(inputLayer.name, sample);
    if (activations) activations[inputLayer.name].set(sample, b * sample.length);
    for (const step of steps) {
      const { layer } = step;
      const inputs = layer.inputs.map((name) => values.get(name)!);
      const result = Float32Array.from(step.run(layer, { inputs, inShapes: step.inShapes, outShape: step.outShape, weight: step.weight }));
      values.set(layer.name, result);
      if (activations) activations[layer.name].set(result, b * result.length);
    }
    output.set(values.get(last.name)!, b * outSize);
  }
  return { output, shape: [batch.batch, ...outShape], activations };
}
