// Turns the merged raw tree into a typed Experiment: closed key sets of Qualia's schema (reference §2.1),
// Qualia's defaults, and each kind's params checked with that kind's own schema from the catalog.
// Reports every problem it finds (it never stops at the first), through `report`.

import type { Catalog } from '../catalog';
import type { KindArea } from '../base/kinds';
import {
  augmentationSharedParams, benchSchema, freeTable, modelSchema, modelSharedParams, modelTemplateSchema,
  parameterResearchSchema, QUANTIZE_VALUES, requiredTable, TOP_LEVEL_KEYS,
  type Bench, type DataAugmentationSection, type Deploy, type Experiment, type KindSection, type Model, type Params,
  type PostprocessingSection,
} from './experiment';
import { areaNames, historicQualiaKinds, pluginFor, qualiaKindNames } from './qualia-kinds';
import { boolean, didYouMean, integer, isTable, joinPath, list, optional, string, table, type Issue, type Schema, type Shape } from '../base/schema';

type Table = Record<string, unknown>;

const REQUIRED_SECTIONS: Record<string, string> = {
  bench: 'missing required table [bench] (name, seed, first_run, last_run)',
  learningframework: "missing required table [learningframework] (e.g. kind = 'PyTorch')",
  dataset: 'missing required table [dataset] (kind and params of the dataset)',
  model_template: 'missing required table [model_template]: Qualia requires it in every experiment, even empty and even for preprocess_data',
  model: 'missing required [[model]] entries: Qualia requires at least one, even for preprocess_data',
};

export function validateExperiment(config: Table, catalog: Catalog, report: (issue: Issue) => void): Experiment {
  const issues: Issue[] = [];
  const checker = new KindChecker(catalog, issues);

  for (const key of Object.keys(config)) {
    if ((TOP_LEVEL_KEYS as readonly string[]).includes(key)) continue;
    issues.push({ path: joinPath('', key), severity: 'error', message: `unknown top-level key '${key}'${didYouMean(key, TOP_LEVEL_KEYS)}; expected one of: ${TOP_LEVEL_KEYS.join(', ')}` });
  }
  for (const [key, message] of Object.entries(REQUIRED_SECTIONS)) {
    if (config[key] === undefined) issues.push({ path: key, severity: 'error', message });
  }

  const includes = list(string(), []).parse(config.includes ?? [], 'includes', issues);
  const includeSearchPaths = list(string(), []).parse(config.include_search_paths ?? [], 'include_search_paths', issues);
  const bench: Bench = config.bench === undefined ? benchSchema.fallback!() as Bench : benchSchema.parse(config.bench, 'bench', issues);
  const rawBench = isTable(config.bench) ? config.bench : {};
  if (Number.isInteger(rawBench.first_run) && Number.isInteger(rawBench.last_run) && bench.first_run > bench.last_run) {
    issues.push({ path: 'bench.last_run', severity: 'warning', message: `last_run (${bench.last_run}) is before first_run (${bench.first_run}), so no run will train or deploy anything` });
  }
  checker.plugins = bench.plugins;

  const experiment: Experiment = {
    includes,
    include_search_paths: includeSearchPaths,
    bench,
    learningframework: config.learningframework === undefined ? { kind: '', params: {} } : checker.section('learningframework', config.learningframework, 'learningframework'),
    dataset: config.dataset === undefined ? { kind: '', params: {} } : checker.section('dataset', config.dataset, 'dataset'),
    preprocessing: sectionList(config.preprocessing, 'preprocessing', issues, (raw, path) => checker.section('preprocessing', raw, path)),
    data_augmentation: sectionList(config.data_augmentation, 'data_augmentation', issues, (raw, path) =>
      checker.section('data_augmentation', raw, path, {}, augmentationSharedParams) as DataAugmentationSection),
    postprocessing: sectionList(config.postprocessing, 'postprocessing', issues, (raw, path) =>
      checker.section('postprocessing', raw, path, { export: boolean(false) }) as PostprocessingSection),
    model_template: config.model_template === undefined ? {} : modelTemplateSchema.parse(config.model_template, 'model_template', issues),
    model: sectionList(config.model, 'model', issues, (raw, path) => checker.model(raw, path)),
  };
  if (config.experimenttracking !== undefined) experiment.experimenttracking = checker.section('experimenttracking', config.experimenttracking, 'experimenttracking');
  if (config.deploy !== undefined) experiment.deploy = checker.deploy(config.deploy);
  if (config.parameter_research !== undefined) experiment.parameter_research = parameterResearchSchema.parse(config.parameter_research, 'parameter_research', issues);

  warnDuplicateModelNames(experiment.model, issues);
  for (const issue of issues) {
    // `includes = [...]` written after a [table] header lands inside that table.
    const misplaced = /^unknown key '(includes|include_search_paths)'/.exec(issue.message);
    if (misplaced) issue.message += `; '${misplaced[1]}' is a top-level key: move it above the first [table] header`;
  }
  issues.forEach(report);
  return experiment;
}

function sectionList<T>(raw: unknown, path: string, issues: Issue[], item: (raw: unknown, path: string) => T): T[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    issues.push({ path, severity: 'error', message: `expected a list of tables ([[${path}]] entries), got ${describe(raw)}` });
    return [];
  }
  return raw.map((entry, index) => item(entry, joinPath(path, index)));
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isTable(value)) return 'a table';
  return typeof value === 'string' ? `the string ${JSON.stringify(value)}` : `${String(value)}`;
}

function warnDuplicateModelNames(models: Model[], issues: Issue[]): void {
  const first = new Map<string, number>();
  models.forEach((model, index) => {
    if (!model.name || model.disabled) return;
    const earlier = first.get(model.name);
    if (earlier === undefined) first.set(model.name, index);
    else issues.push({ path: `model[${index}].name`, severity: 'warning', message: `model name '${model.name}' is also used by model[${earlier}] and both are enabled; their saved weights and logs (<name>_r<i>) will overwrite each other` });
  });
}

const deploySchema = table({
  target: string(),
  converter: requiredTable(table({ kind: string(), params: freeTable() })),
  deployer: table({ kind: optional(string()), params: freeTable() }),
  evaluator: table({ kind: optional(string()), params: freeTable() }),
  quantize: list(string()),
  optimize: list(string(), ['']),
  compress: list(integer(), [1]),
  limit: optional(integer(undefined, { min: 1 })),
});

class KindChecker {
  plugins: string[] = [];
  private readonly warned = new Set<string>();

  constructor(private readonly catalog: Catalog, private readonly issues: Issue[]) {}

  /** A `{kind, params, …extra}` table of `area`. */
  section(area: KindArea, raw: unknown, path: string, extra: Shape = {}, shared: Shape = {}): KindSection {
    const parsed = table({ kind: string(), params: freeTable(), ...extra }).parse(raw, path, this.issues) as Table;
    if (!isTable(raw) || typeof parsed.kind !== 'string' || (raw.params !== undefined && !isTable(raw.params))) return parsed as unknown as KindSection;
    parsed.params = this.params(area, parsed.kind, joinPath(path, 'kind'), parsed.params as Params, joinPath(path, 'params'), shared);
    return parsed as unknown as KindSection;
  }

  model(raw: unknown, path: string): Model {
    const model = modelSchema.parse(raw, path, this.issues) as Model;
    // Without a kind, or with params that are not a table (already reported), kind checks would only add noise.
    if (!isTable(raw) || typeof raw.kind !== 'string' || (raw.params !== undefined && !isTable(raw.params))) return model;
    if (!model.disabled) {
      model.params = this.params('model', model.kind, joinPath(path, 'kind'), model.params, joinPath(path, 'params'), modelSharedParams);
      this.optimizer(model, raw, path, this.issues);
      return model;
    }
    // Qualia never builds a disabled model, so problems in its params cannot stop a run: warnings only.
    const issues: Issue[] = [];
    model.params = this.params('model', model.kind, joinPath(path, 'kind'), model.params, joinPath(path, 'params'), modelSharedParams, issues);
    this.optimizer(model, raw, path, issues);
    for (const issue of issues) {
      this.issues.push(issue.severity === 'error' ? { ...issue, severity: 'warning', message: `${issue.message} (model is disabled, so this is only a warning)` } : issue);
    }
    return model;
  }

  /** `optimizer` and `optimizer.scheduler` of a model, checked against the trainer's kinds when Mote has them. */
  optimizer(model: Model, raw: Table, path: string, issues: Issue[]): void {
    const optimizer = model.optimizer;
    const rawOptimizer = raw.optimizer;
    if (!optimizer || !isTable(rawOptimizer) || typeof rawOptimizer.kind !== 'string' || (rawOptimizer.params !== undefined && !isTable(rawOptimizer.params))) return;
    const at = joinPath(path, 'optimizer');
    optimizer.params = this.params('optimizer', optimizer.kind, joinPath(at, 'kind'), optimizer.params, joinPath(at, 'params'), {}, issues);
    const scheduler = optimizer.scheduler;
    const rawScheduler = rawOptimizer.scheduler;
    if (!scheduler || !isTable(rawScheduler) || typeof rawScheduler.kind !== 'string' || (rawScheduler.params !== undefined && !isTable(rawScheduler.params))) return;
    const schedulerAt = joinPath(at, 'scheduler');
    scheduler.params = this.params('scheduler', scheduler.kind, joinPath(schedulerAt, 'kind'), scheduler.params, joinPath(schedulerAt, 'params'), {}, issues);
  }

  deploy(raw: unknown): Deploy {
    const deploy = deploySchema.parse(raw, 'deploy', this.issues) as Deploy;
    if (!isTable(raw)) return deploy;
    (Array.isArray(deploy.quantize) ? deploy.quantize : []).forEach((value, index) => {
      if (typeof value === 'string' && !(QUANTIZE_VALUES as readonly string[]).includes(value)) {
        this.issues.push({ path: `deploy.quantize[${index}]`, severity: 'error', message: `unknown quantization '${value}'${didYouMean(value, QUANTIZE_VALUES)}; expected one of: ${QUANTIZE_VALUES.join(', ')}` });
      }
    });
    if (isTable(raw.converter) && typeof raw.converter.kind === 'string' && (raw.converter.params === undefined || isTable(raw.converter.params))) {
      deploy.converter.params = this.params('converter', deploy.converter.kind, 'deploy.converter.kind', deploy.converter.params, 'deploy.converter.params');
    }
    if (typeof raw.target === 'string' && (!isTable(raw.deployer) || raw.deployer.params === undefined || isTable(raw.deployer.params))) {
      deploy.deployer.params = this.params('target', deploy.target, 'deploy.target', deploy.deployer.params, 'deploy.deployer.params');
    }
    if (typeof raw.target === 'string' && (!isTable(raw.evaluator) || raw.evaluator.params === undefined || isTable(raw.evaluator.params))) {
      deploy.evaluator.params = this.evaluatorParams(deploy.target, deploy.evaluator.params);
    }
    return deploy;
  }

  /**
   * `deploy.evaluator.params` against the board's own evaluator schema (deploy/board.ts), so that a bad
   * timeout or device is reported with the rest of the config rather than when deploy_and_evaluate runs.
   * A target Mote lacks has already been reported by `params`; its evaluator table is kept as written.
   */
  evaluatorParams(target: string, params: Params): Params {
    const board = this.catalog.target[target] as { evaluatorParams?: Schema<unknown> } | undefined;
    if (!board?.evaluatorParams) return params;
    try {
      return board.evaluatorParams.parse(params, 'deploy.evaluator.params', this.issues) as Params;
    } catch (error) {
      this.issues.push({ path: 'deploy.evaluator.params', severity: 'error', message: `the evaluator params schema of target '${target}' failed (${(error as Error).message}); this is a bug in Mote, please report it` });
      return params;
    }
  }

  /** Validates `params` against the kind's schema; shared keys (every kind of the area has them) separately. */
  params(area: KindArea, kind: string, kindPath: string, params: Params, paramsPath: string, shared: Shape = {}, issues = this.issues): Params {
    const own: Params = {};
    const common: Params = {};
    for (const [key, value] of Object.entries(params)) (key in shared ? common : own)[key] = value;
    const typedShared = table(shared).parse(common, paramsPath, issues) as Params;

    this.pluginHint(area, kind, kindPath, issues);
    const info = this.catalog[area][kind];
    if (info) {
      try {
        return { ...(info.params.parse(own, paramsPath, issues) as Params), ...typedShared };
      } catch (error) {
        // A bug in a kind's schema must not take the whole loader down; say whose bug it is.
        issues.push({ path: paramsPath, severity: 'error', message: `the params schema of ${areaNames[area]} kind '${kind}' failed (${(error as Error).message}); this is a bug in Mote, please report it` });
        return { ...own, ...typedShared };
      }
    }

    const supported = Object.keys(this.catalog[area]).sort();
    const supportedText = supported.length ? supported.join(', ') : 'none yet';
    const qualia = qualiaKindNames(area);
    if (historicQualiaKinds[area]?.includes(kind)) return { ...own, ...typedShared }; // stale.ts has warned
    if (qualia.includes(kind)) {
      const key = `${area}:${kind}`;
      if (!this.warned.has(key)) {
        this.warned.add(key);
        issues.push({ path: kindPath, severity: 'warning', message: `'${kind}' is a Qualia ${areaNames[area]} kind that Mote does not support yet; supported: ${supportedText}` });
      }
      return { ...own, ...typedShared };
    }
    const others = qualia.filter((name) => !supported.includes(name));
    issues.push({
      path: kindPath,
      // Qualia looks optimizers and schedulers up in torch (and torch_optimizer) only when training starts.
      severity: area === 'optimizer' || area === 'scheduler' ? 'warning' : 'error',
      message: `unknown ${areaNames[area]} kind '${kind}'${didYouMean(kind, [...supported, ...qualia])}; Mote supports: ${supportedText}${others.length ? `; Qualia also has: ${others.join(', ')}` : ''}`,
    });
    return { ...own, ...typedShared };
  }

  private pluginHint(area: KindArea, kind: string, kindPath: string, issues: Issue[]): void {
    const plugin = pluginFor(area, kind);
    if (!plugin || this.plugins.includes(plugin)) return;
    const key = `plugin:${area}:${kind}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    issues.push({ path: kindPath, severity: 'warning', message: `'${kind}' comes from the Qualia plugin ${plugin}: Qualia needs bench.plugins = ['${plugin}'] to find it` });
  }
}

