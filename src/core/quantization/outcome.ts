// The result of PTQ/QAT as the deploy stage needs it (codegen/model-for-format.ts turns it into the
// generator's input for one `deploy.quantize` entry).

import type { CalibrationRanges, QuantizedGraph } from './quantized-graph';
import type { ResolvedQuantParams } from './quant-params';

export interface QuantizationOutcome {
  quantized: QuantizedGraph;
  params: ResolvedQuantParams;
  ranges: CalibrationRanges;
  epochs: number;
}
