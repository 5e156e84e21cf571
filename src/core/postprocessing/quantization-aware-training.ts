// Qualia's QuantizationAwareTraining: builds the quantized twin of the model with `quant_params`
// (per-tensor power-of-two fixed point), runs one calibration pass over the training set without an
// optimizer (PTQ: running max |x| of every quantized tensor), then `epochs` of quantization-aware
// fine-tuning. Renames the model `<name>_q<bits>_force_q<n|off>_e<epochs>_LSQ<True|False>` and exports
// `out/learningmodel/<newname>_r<i>_activations_range.txt`.
//
// quant_params resolution (Qualia §2.3): the postprocessing's `model.params.quant_params`, shallow-updated
// by the [[model]]'s `update.quant_params`, then filled (never overridden) from the [[model]]'s own
// `params.quant_params`.

import { anything, boolean, integer, isTable, optional, parseOrThrow, string, table, type Infer, type Schema } from '../base/schema';
import { UnsupportedError } from '../base/errors';
import { MAX_BATCH_SIZE, MAX_EPOCHS } from '../base/limits';
import { formatActivationsRange } from '../quantization/activations-range';
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
    epochs: integer(1, { min: 0, max: MAX_EPOCHS }),
    batch_size: integer(32, { min: 1, max: MAX_BATCH_SIZE }),
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

/** Qualia merges the QAT `optimizer` table over the model's optimizer (kind and params). */
function mergedOptimizer(qat: unknown, model: PostprocessingInput['model']['optimizer']): { kind: string; params?: Record<string, unknown> } | undefined {
  if (!isTable(qat)) return model;
  const kind = typeof qat.kind === 'string' ? qat.kind : model?.kind ?? 'Adam';
  const params = { ...(model?.params ?? {}), ...(isTable(qat.params) ? qat.params : {}) };
  return { kind, params };
}

export async function runQuantizationAwareTraining(kind: string, params: QuantizationAwareTrainingParams, input: PostprocessingInput): Promise<PostprocessingOutput> {
  const where = `${input.where ?? 'postprocessing'}.params.model.params.quant_params`;
  // update.quant_params and the model's own quant_params were not validated by this kind's schema.
  const quantParams = parseOrThrow(quantParamsSchema, effectiveQuantParams(params, input.model), where, `quant_params of model '${input.name}' (after model.update.quant_params)`);
  const resolved = resolveQuantizers(quantParams, where);
  if (!input.train || input.train.count === 0) {
    throw new UnsupportedError(`${kind} needs the training set to calibrate activation ranges, but model '${input.name}' has none; check the dataset and preprocessing`);
  }
  let lowered = lowerForDeployment(input.graph);
  input.log?.(`${kind}: calibrating ${resolved.act.bits}-bit fixed point on ${input.train.count} training samples`);
  // tfjs loads only when a QAT step runs: validating a config must not pull in the trainer.
  const { calibrateTf, quantizationAwareTraining } = await import('../quantization/qat');
  let ranges = await calibrateTf(lowered, resolved, { x: input.train.x, count: input.train.count }, { batchSize: Math.max(params.batch_size, 256), backend: input.backend, onProgress: params.epochs > 0 ? undefined : input.onProgress });
  if (params.epochs > 0) {
    quantizeGraph(lowered, ranges, resolved); // refuses what cannot be quantized before spending time training
    const trained = await quantizationAwareTraining(lowered, resolved, ranges, input.train, {
      epochs: params.epochs,
      batchSize: params.batch_size,
      optimizer: mergedOptimizer(params.optimizer, input.model.optimizer),
      seed: input.seed ?? 0,
      backend: input.backend,
      log: input.log,
      onProgress: input.onProgress,
    });
    lowered = trained.graph;
    ranges = trained.ranges;
  }
  const quantized = quantizeGraph(lowered, ranges, resolved);
  const forceQ = quantParams.force_q;
  const name = quantizedModelName(input.name, resolved.act.bits, forceQ, params.epochs);
  quantized.graph = { ...quantized.graph, name };
  const outcome: QuantizationOutcome = { quantized, params: resolved, ranges, epochs: params.epochs };
  return {
    graph: { ...(params.epochs > 0 ? lowered : input.graph), name },
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
