// The experiment as Mote's stages read it: Qualia's TOML schema (qualia_core/typing.py, reference §2.1)
// with Qualia's defaults filled and [model_template] already merged into every [[model]]. Field names are
// the TOML keys. `params` of a kind Mote supports hold that kind's parsed params (defaults filled); params of
// kinds Mote does not support stay as written.

import { boolean, describeValue, integer, isTable, list, name, optional, string, table, type Issue, type Schema } from '../base/schema';
import { MAX_BATCH_SIZE, MAX_EPOCHS } from '../base/limits';

/** One `update.quant_params` / QAT `quant_params` quantizer (all keys optional; Qualia merges them later). */
export interface QuantizerConfig {
  quant_enable?: boolean;
  LSQ?: boolean;
  bits?: number;
  force_q?: number;
  range_setting?: string;
  roundtype?: string;
  tensor_type?: string;
  quantype?: string;
  is_asymmetric?: boolean;
}

/** A quantizer plus per-tensor overrides for activations (act), membrane potentials (v), input, weights, bias. */
export interface QuantizationConfig extends QuantizerConfig {
  act?: QuantizerConfig;
  v?: QuantizerConfig;
  input?: QuantizerConfig;
  w?: QuantizerConfig;
  bias?: QuantizerConfig;
}

const quantizerShape = {
  quant_enable: optional(boolean()),
  LSQ: optional(boolean()),
  bits: optional(integer(undefined, { min: 1 })),
  force_q: optional(integer()),
  range_setting: optional(string()),
  roundtype: optional(string()),
  tensor_type: optional(string()),
  quantype: optional(string()),
  is_asymmetric: optional(boolean()),
};

export const quantizerConfigSchema: Schema<QuantizerConfig> = table(quantizerShape);

/** Exported for kinds that carry quant_params in their own params (QuantizationAwareTraining's model.params). */
export const quantizationConfigSchema: Schema<QuantizationConfig> = table({
  ...quantizerShape,
  act: optional(quantizerConfigSchema),
  v: optional(quantizerConfigSchema),
  input: optional(quantizerConfigSchema),
  w: optional(quantizerConfigSchema),
  bias: optional(quantizerConfigSchema),
});

export type Params = Record<string, unknown>;

/** A section that names a kind: `[dataset]`, `[[preprocessing]]`, `[deploy.converter]`, … */
export interface KindSection<P = Params> {
  kind: string;
  params: P;
}

export interface DataAugmentationSection extends KindSection<Params & { evaluate: boolean; before: boolean; after: boolean }> {}

export interface PostprocessingSection extends KindSection {
  export: boolean;
}

export interface Bench {
  name: string;
  seed: number;
  first_run: number;
  last_run: number;
  plugins: string[];
  use_test_as_valid: boolean;
}

export interface Optimizer {
  kind: string;
  params: Params;
  scheduler?: KindSection;
}

/** Model params: the kind's own params plus the keys every model accepts (Qualia passes them through). */
export type ModelParams = Params & {
  /** Overrides the dataset-derived input shape (channels_last, no batch dimension). */
  input_shape?: number[];
  output_shape?: number[];
  quant_params?: QuantizationConfig;
};

export interface ModelTemplate {
  kind?: string;
  params?: Params;
  epochs?: number;
  batch_size?: number;
  load?: boolean;
  train?: boolean;
  evaluate?: boolean;
  optimizer?: Optimizer;
  update?: { quant_params?: QuantizationConfig };
}

export interface Model {
  kind: string;
  name: string;
  disabled: boolean;
  params: ModelParams;
  epochs: number;
  batch_size: number;
  load: boolean;
  train: boolean;
  evaluate: boolean;
  optimizer?: Optimizer;
  update?: { quant_params?: QuantizationConfig };
}

export interface Deploy {
  /** Deployer name (Qualia: class in the converter's deployers module); Mote's target kinds. */
  target: string;
  converter: KindSection;
  /** Validated by the target kind's params schema when Mote knows the target. */
  deployer: { kind?: string; params: Params };
  evaluator: { kind?: string; params: Params };
  quantize: string[];
  optimize: string[];
  compress: number[];
  limit?: number;
}

export interface ParameterResearch {
  optimize: { params: Params };
  study: { load?: boolean; params: Params };
  trial: Params;
}

export interface Experiment {
  includes: string[];
  include_search_paths: string[];
  bench: Bench;
  learningframework: KindSection;
  dataset: KindSection;
  experimenttracking?: KindSection;
  preprocessing: KindSection[];
  data_augmentation: DataAugmentationSection[];
  postprocessing: PostprocessingSection[];
  model_template: ModelTemplate;
  model: Model[];
  deploy?: Deploy;
  parameter_research?: ParameterResearch;
}

/** A free-form table (Qualia's RecursiveConfigDict): any keys, but it must be a table. */
export function freeTable(): Schema<Params> {
  return {
    expected: 'a table',
    fallback: () => ({}),
    parse(input: unknown, path: string, issues: Issue[]): Params {
      if (isTable(input)) return input;
      issues.push({ path, severity: 'error', message: `expected a table, got ${describeValue(input)}` });
      return {};
    },
  };
}

export const benchSchema = table({
  name: name(),
  seed: integer(),
  first_run: integer(),
  last_run: integer(),
  plugins: list(string(), []),
  use_test_as_valid: boolean(false),
});

const schedulerSchema = table({ kind: string(), params: freeTable() });
export const optimizerSchema: Schema<Optimizer> = table({ kind: string(), params: freeTable(), scheduler: optional(schedulerSchema) });
const updateSchema = table({ quant_params: optional(quantizationConfigSchema) });

/** Keys every [[model]] / [model_template] may have besides kind/name/disabled, with Qualia's defaults. */
export const modelCommonShape = {
  params: freeTable(),
  epochs: integer(0, { min: 0, max: MAX_EPOCHS }),
  batch_size: integer(32, { min: 1, max: MAX_BATCH_SIZE }),
  load: boolean(false),
  train: boolean(true),
  evaluate: boolean(true),
  optimizer: optional(optimizerSchema),
  update: optional(updateSchema),
};

/** The template keeps only what is written: its values reach models through the merge, not as defaults. */
export const modelTemplateSchema: Schema<ModelTemplate> = table({
  kind: optional(string()),
  params: optional(freeTable()),
  epochs: optional(integer(undefined, { min: 0, max: MAX_EPOCHS })),
  batch_size: optional(integer(undefined, { min: 1, max: MAX_BATCH_SIZE })),
  load: optional(boolean()),
  train: optional(boolean()),
  evaluate: optional(boolean()),
  optimizer: optional(optimizerSchema),
  update: optional(updateSchema),
});

/** [[model]] without kind-specific params validation (the loader does that with the catalog). */
export const modelSchema = table({ ...modelCommonShape, kind: string(), name: name(), disabled: boolean(false) });

/** The params every model accepts whatever its kind (stripped before the kind's own schema runs). */
export const modelSharedParams = {
  input_shape: optional(list(integer(undefined, { min: 1 }))),
  output_shape: optional(list(integer(undefined, { min: 1 }))),
  quant_params: optional(quantizationConfigSchema),
};

/** Common params of every data augmentation (Qualia's DataAugmentation base class). */
export const augmentationSharedParams = {
  evaluate: boolean(false),
  before: boolean(false),
  after: boolean(true),
};

export const QUANTIZE_VALUES = ['float32', 'int16', 'int8', 'float16', 'float8'] as const;

/** The same schema without its fallback: the key must be present (table() alone defaults an absent table). */
export function requiredTable<T>(schema: Schema<T>): Schema<T> {
  return { expected: schema.expected, parse: schema.parse };
}

export const parameterResearchSchema: Schema<ParameterResearch> = table({
  optimize: requiredTable(table({ params: requiredTable(freeTable()) })),
  study: requiredTable(table({ load: optional(boolean()), params: requiredTable(freeTable()) })),
  trial: requiredTable(freeTable()),
});

/** Top-level keys of a Qualia experiment, in the order the loader checks them. */
export const TOP_LEVEL_KEYS = [
  'includes', 'include_search_paths', 'bench', 'learningframework', 'dataset', 'experimenttracking', 'preprocessing',
  'data_augmentation', 'postprocessing', 'model_template', 'model', 'deploy', 'parameter_research',
] as const;
