// Qualia's `quant_params` table (QuantizationConfig of qualia_core/typing.py): global quantizer keys plus
// per-tensor sub-tables `input`, `act`, `w`, `bias`, `v` that override them. The schema accepts every key
// Qualia accepts; `resolveQuantizers` then refuses, by name, what Mote cannot deploy (LSQ, quantype 'fake',
// MSE range settings, asymmetric ranges) instead of silently ignoring it.

import { UnsupportedError } from '../base/errors';
import { boolean, integer, oneOf, optional, string, table, type Infer } from '../base/schema';
import { ROUND_MODES, type RoundMode } from '../layers/shared/fixed-point';

const quantizerShape = {
  quant_enable: optional(boolean()),
  LSQ: optional(boolean()),
  bits: optional(integer(undefined, { min: 1, max: 32 })),
  force_q: optional(integer()),
  range_setting: optional(oneOf(['minmax', 'MSE_simulation', 'MSE_analysis'] as const)),
  roundtype: optional(oneOf(ROUND_MODES)),
  tensor_type: optional(string()),
  quantype: optional(oneOf(['fxp', 'fake'] as const)),
  is_asymmetric: optional(boolean()),
};

export const quantizerSchema = table(quantizerShape);
export type QuantizerConfig = Infer<typeof quantizerSchema>;

export const TENSOR_TYPES = ['input', 'act', 'w', 'bias', 'v'] as const;
export type TensorType = (typeof TENSOR_TYPES)[number];

export const quantParamsSchema = table({
  ...quantizerShape,
  input: optional(quantizerSchema),
  act: optional(quantizerSchema),
  w: optional(quantizerSchema),
  bias: optional(quantizerSchema),
  v: optional(quantizerSchema),
});
export type QuantParams = Infer<typeof quantParamsSchema>;

/** One tensor's quantizer after the sub-table override, with Qualia's constructor defaults. */
export interface ResolvedQuantizer {
  enabled: boolean;
  bits: number;
  forceQ: number | undefined;
  round: RoundMode;
}

export interface ResolvedQuantParams {
  input: ResolvedQuantizer;
  act: ResolvedQuantizer;
  w: ResolvedQuantizer;
  /** Separate bias quantizer when the config has a `bias` sub-table; otherwise weights and bias share `w`. */
  bias: ResolvedQuantizer | undefined;
}

/**
 * Qualia's `update_params(tensor_type, quant_params)`: global keys overridden by the tensor's sub-table.
 * `where` is the key path shown in errors (e.g. `postprocessing[1].params.model.params.quant_params`).
 */
export function resolveQuantizers(params: QuantParams, where: string): ResolvedQuantParams {
  const resolve = (type: TensorType): ResolvedQuantizer => {
    const sub: QuantizerConfig = params[type] ?? ({} as QuantizerConfig);
    const pick = <K extends keyof QuantizerConfig>(key: K): QuantizerConfig[K] => (sub[key] !== undefined ? sub[key] : params[key]);
    const path = (key: string) => (sub[key as keyof QuantizerConfig] !== undefined ? `${where}.${type}.${key}` : `${where}.${key}`);
    if (pick('LSQ') === true) {
      throw new UnsupportedError(`${path('LSQ')} = true: learned step-size quantization (LSQ) is not supported by Mote, whose generated code needs power-of-two scales; set LSQ = false`);
    }
    const quantype = pick('quantype');
    if (quantype === 'fake') {
      throw new UnsupportedError(`${path('quantype')} = "fake": non-power-of-two ("fake") quantization cannot be deployed by the C generator; use quantype = "fxp"`);
    }
    const rangeSetting = pick('range_setting') ?? 'minmax';
    if (rangeSetting !== 'minmax') {
      throw new UnsupportedError(`${path('range_setting')} = "${rangeSetting}": only "minmax" range setting is supported by Mote (MSE_simulation / MSE_analysis are Qualia-only); use range_setting = "minmax"`);
    }
    if (pick('is_asymmetric') === true) {
      throw new UnsupportedError(`${path('is_asymmetric')} = true: asymmetric quantization is not supported (Mote's fixed point is symmetric, like Qualia's fxp); set is_asymmetric = false`);
    }
    const bits = pick('bits') ?? 8;
    return { enabled: pick('quant_enable') ?? true, bits, forceQ: pick('force_q'), round: pick('roundtype') ?? 'nearest' };
  };
  const resolved: ResolvedQuantParams = {
    input: resolve('input'),
    act: resolve('act'),
    w: resolve('w'),
    bias: params.bias !== undefined ? resolve('bias') : undefined,
  };
  // input.quant_enable = false leaves the first layer's input in float in Qualia, which Qualia-CodeGen cannot
  // deploy (upstream configs mark it "Broken with Qualia-CodeGen"). Generated code needs an input format, so
  // Mote quantizes the model input with its calibrated range anyway; the flag only matters to Qualia's QAT.
  for (const type of ['act', 'w'] as const) {
    if (!resolved[type].enabled) {
      throw new UnsupportedError(`${where}${params[type]?.quant_enable === false ? `.${type}` : ''}.quant_enable = false: the '${type}' tensors must be quantized for integer code generation; remove the key or use quantize = ['float32']`);
    }
  }
  const bitsSeen = new Set([resolved.act.bits, resolved.w.bits, ...(resolved.input.enabled ? [resolved.input.bits] : []), ...(resolved.bias ? [resolved.bias.bits] : [])]);
  if (bitsSeen.size !== 1) {
    throw new UnsupportedError(`${where}: tensors use different bit widths (${[...bitsSeen].join(', ')}); the C generator needs one width for inputs, activations, weights and biases (8 or 16)`);
  }
  return resolved;
}
