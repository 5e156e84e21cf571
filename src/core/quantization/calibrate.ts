// Post-training calibration (Qualia's PTQ epoch without optimizer): one pass over the data through the
// float reference, keeping the running max |x| of the model input and of every layer output.

import type { ModelGraph } from '../models/graph';
import { forwardFloat } from '../models/reference-float';
import { sizeOf } from '../models/shapes';
import type { CalibrationRanges } from './quantized-graph';

export interface CalibrationData {
  /** `count` samples back to back, channels_last with the graph's input shape. */
  x: Float32Array | Uint8Array;
  count: number;
}

/** Running max |x| per tensor over `data` (graph from `lowerForDeployment`). */
export function calibrate(graph: ModelGraph, data: CalibrationData, options: { chunk?: number; onProgress?: (done: number, total: number) => void } = {}): CalibrationRanges {
  const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
  if (data.x.length !== data.count * inputSize) {
    throw new Error(`calibration data holds ${data.x.length} values, expected ${data.count} samples × ${inputSize}`);
  }
  const ranges: CalibrationRanges = { input: 0, outputs: {} };
  for (const layer of graph.layers.slice(1)) ranges.outputs[layer.name] = 0;
  const chunk = options.chunk ?? 64;
  for (let start = 0; start < data.count; start += chunk) {
    const batch = Math.min(chunk, data.count - start);
    const slice = data.x.subarray(start * inputSize, (start + batch) * inputSize);
    const values = slice instanceof Float32Array ? slice : Float32Array.from(slice);
    for (let i = 0; i < values.length; i++) { const v = Math.abs(values[i]); if (v > ranges.input) ranges.input = v; }
    const { activations } = forwardFloat(graph, { data: values, batch }, { keepActivations: true });
    for (const [name, tensor] of Object.entries(activations!)) {
      if (!(name in ranges.outputs)) continue;
      let max = ranges.outputs[name];
      for (let i = 0; i < tensor.length; i++) { const v = Math.abs(tensor[i]); if (v > max) max = v; }
      ranges.outputs[name] = max;
    }
    options.onProgress?.(start + batch, data.count);
  }
  return ranges;
}
