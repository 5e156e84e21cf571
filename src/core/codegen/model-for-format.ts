// The bridge from a `deploy.quantize` entry (float32 | int16 | int8) and a model's quantization outcome to
// what the C generator consumes.

import { UnsupportedError } from '../base/errors';
import type { ModelGraph } from '../models/graph';
import type { QuantizationOutcome } from '../quantization/outcome';
import type { CodegenModel, NumberFormat } from './types';

/** The generator input for one `deploy.quantize` entry. Fixed point needs a quantization of the same width. */
export function codegenModelFor(format: NumberFormat, graph: ModelGraph, quantization: QuantizationOutcome | undefined, modelName: string): CodegenModel {
  if (format === 'float32') return { format, graph };
  const bits = format === 'int8' ? 8 : 16;
  if (!quantization) {
    throw new UnsupportedError(`deploy.quantize = '${format}' for model '${modelName}' needs fixed-point formats: add a [[postprocessing]] kind = "QuantizationAwareTraining" (or "QuantizationAwareTrainingFX") with params.model.params.quant_params.bits = ${bits}`);
  }
  if (quantization.quantized.bits !== bits) {
    throw new UnsupportedError(`deploy.quantize = '${format}' for model '${modelName}', but its quantization postprocessing used bits = ${quantization.quantized.bits}; set quant_params.bits = ${bits} (or update.quant_params.bits in the [[model]]) or deploy int${quantization.quantized.bits}`);
  }
  return { format, quantized: quantization.quantized };
}
