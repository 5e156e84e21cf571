// Qualia's QuantizationAwareTraining: builds the quantized twin of the model with `quant_params`
// (per-tensor power-of-two fixed point), runs one calibration pass over the training set without an
// optimizer (PTQ: running max |x| of every quantized tensor), then `epochs` of quantization-aware
// fine-tuning. Renames the model `<name>_q<bits>_force_q<n|off>_e<epochs>_LSQ<True|False>` and exports
// `out/learningmodel/<newname>_r<i>_activations_range.txt`.
//
// quant_params resolution (Qualia §2.3): the postprocessing's `model.params.quant_params`, shallow-updated
// by the [[model]]'s `update.quant_params`, then filled (never overridden) from the [[model]]'s own
// `params.quant_params`.

import { anything, boolean, integer, isTable, optional, string, table, type Infer, type Schema } from '../config/schema';
import { UnsupportedError } from '../errors';
import { formatActivationsRange } from '../quantization/activations-range';
import { calibrate } from '../quantization/calibrate';
import { lowerForDeployment } from '../quantization/lower';
import type { QuantizationOutcome } from '../quantization/outcome';
import { quantizeGraph } from '../quantization/quantized-graph';
import { quantParamsSchema, resolveQuantizers, type QuantParams } from '../quantization/quant-params';
import type { PostprocessingInput, PostprocessingKind, PostprocessingOutput } from './types';

function required<T>(schema: Schema<T>): Schema<T> {
  return { expected: schema.expected, parse: schema.parse };
}

const modelParams = table(
  { quant_params: required(quantParamsSchema) },
  {
    open: true,
    stale: {
      quantize_linear: "'quantize_linear' is no longer accepted by Qualia's quantized models; Linear layers are always quantized: remove it (ignored)",
      quantize_add: "'quantize_add' is no longer accepted by Qualia's quantized models; Add layers are always quantized: remove it (ignored)",
    },
  },
);

export const quantizationAwareTrainingParams = table(
  {
    epochs: integer(1, { min: 0 }),
    batch_size: integer(32, { min: 1 }),
    model: required(table({ params: required(modelParams), kind: optional(string()) })),
    optimizer: optional(anything()),
    evaluate_before: boolean(true),
  },
  {
    stale: {
      width: "'params.width' is pre-2.0 Qualia syntax; write params.model.params.quant_params.bits",
      force_q: "'params.force_q' is pre-2.0 Qualia syntax; write params.model.params.quant_params.force_q",
    },
  },
);

export type QuantizationAwareTrainingParams = Infer<typeof quantizationAwareTrainingParams>;

/** Qualia's merge_dict restricted to quant_params: `winner` keeps its keys, `filler` fills the gaps (tables recursively). */
function fillFrom(winner: Record<string, unknown>, filler: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...winner };
  for (const [key, value] of Object.entries(filler ?? {})) {
    if (value === undefined) continue;
    if (out[key] === undefined) out[key] = value;
    else if (isTable(out[key]) && isTable(value)) out[key] = fillFrom(out[key] as Record<string, unknown>, value);
  }
  return out;
}

function defined(table: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(table ?? {}).filter(([, v]) => v !== undefined));
}

/** The quant_params Qualia would pass to Quantized<kind> for this [[model]] (§2.3 second-level merge). */
export function effectiveQuantParams(params: QuantizationAwareTrainingParams, model: PostprocessingInput['model']): QuantParams {
  let merged: Record<string, unknown> = { ...defined(params.model.params.quant_params) };
  if (model.update?.quant_params) merged = { ...merged, ...defined(model.update.quant_params as Record<string, unknown>) };
  const own = model.params?.quant_params;
  if (isTable(own)) merged = fillFrom(merged, own);
  return merged as QuantParams;
}

export function quantizedModelName(name: string, bits: number, forceQ: number | undefined, epochs: number): string {
  return `${name}_q${bits}_force_q${forceQ ?? 'off'}_e${epochs}_LSQFalse`;
}

export async function runQuantizationAwareTraining(kind: string, params: QuantizationAwareTrainingParams, input: PostprocessingInput): Promise<PostprocessingOutput> {
  const where = `${input.where ?? 'postprocessing'}.params.model.params.quant_params`;
  const quantParams = effectiveQuantParams(params, input.model);
  const resolved = resolveQuantizers(quantParams, where);
  if (!input.train || input.train.count === 0) {
    throw new UnsupportedError(`${kind} needs the training set to calibrate activation ranges, but model '${input.name}' has none; check the dataset and preprocessing`);
  }
  if (params.epochs > 0) {
    throw new UnsupportedError(`${input.where ?? kind}.params.epochs = ${params.epochs}: quantization-aware fine-tuning is not implemented in Mote yet; set params.epochs = 0 for post-training quantization (calibration only, what Qualia's deployment configs use)`);
  }
  const lowered = lowerForDeployment(input.graph);
  input.log?.(`${kind}: calibrating ${resolved.act.bits}-bit fixed point on ${input.train.count} training samples`);
  const ranges = calibrate(lowered, { x: input.train.x, count: input.train.count }, { onProgress: input.onProgress });
  const quantized = quantizeGraph(lowered, ranges, resolved);
  const forceQ = quantParams.force_q;
  const name = quantizedModelName(input.name, resolved.act.bits, forceQ, params.epochs);
  quantized.graph = { ...quantized.graph, name };
  const outcome: QuantizationOutcome = { quantized, params: resolved, ranges, epochs: params.epochs };
  return {
    graph: { ...input.graph, name },
    name,
    quantization: outcome,
    exports: { [`out/learningmodel/${name}_r${input.iteration}_activations_range.txt`]: formatActivationsRange(quantized) },
  };
}

export const quantizationAwareTrainingKind: PostprocessingKind<QuantizationAwareTrainingParams> = {
  kind: 'QuantizationAwareTraining',
  summary: 'power-of-two fixed-point quantization: calibration pass (PTQ, epochs = 0) then optional QAT epochs; renames <name>_q<bits>_force_q<n|off>_e<epochs>_LSQFalse',
  params: quantizationAwareTrainingParams,
  run: (params, input) => runQuantizationAwareTraining('QuantizationAwareTraining', params, input),
};
