// Upstream idioms that older Qualia accepted (reference §2.1): accepted here with a warning that names the
// modern spelling, and rewritten to it, so kind schemas only ever see today's syntax. Keys Qualia's schema
// refuses outright (bench.gpus, the MicroAI [framework] table) are errors that say why.
// Runs on the merged raw tree, before validation; each problem is reported before the tree changes, so its
// position is still that of the key as written.

import { isTable, joinPath, type Issue } from '../base/schema';

type Table = Record<string, unknown>;

export function applyStaleFixes(config: Table, report: (issue: Issue) => void): void {
  const warn = (path: string, message: string) => report({ path, severity: 'warning', message });
  const error = (path: string, message: string) => report({ path, severity: 'error', message });

  if (Object.hasOwn(config, 'framework')) {
    error('framework', "[framework] is the old MicroAI table, which Qualia 2.x refuses; write [learningframework] with kind = 'PyTorch' (and move its settings to learningframework.params)");
    delete config.framework;
  }

  const bench = config.bench;
  if (isTable(bench)) {
    for (const key of ['gpus', 'reserve_gpu', 'gpu_memory_growth']) {
      if (!Object.hasOwn(bench, key)) continue;
      error(joinPath('bench', key), `bench.${key} is read by Qualia's main.py but is not in its schema, so Qualia refuses the whole config ("Could not load configuration."); remove it (Mote picks its compute backend itself)`);
      delete bench[key];
    }
  }

  const postprocessing = config.postprocessing;
  if (Array.isArray(postprocessing)) {
    postprocessing.forEach((step, index) => {
      if (!isTable(step) || !isTable(step.params) || typeof step.kind !== 'string') return;
      const path = joinPath(joinPath('postprocessing', index), 'params');
      if (step.kind.startsWith('QuantizationAwareTraining')) fixQuantizationAwareTraining(step.params, path, warn);
      if (step.kind === 'EnergyEstimationMetric' && Object.hasOwn(step.params, 'estimation_type')) {
        const params = step.params;
        if (Object.hasOwn(params, 'op_estimation_type')) {
          warn(joinPath(path, 'estimation_type'), "'estimation_type' was renamed 'op_estimation_type', which is also set here; the old key is ignored");
        } else {
          warn(joinPath(path, 'estimation_type'), "'estimation_type' was renamed 'op_estimation_type' (a table {add = …, mul = …}); read as op_estimation_type");
          params.op_estimation_type = params.estimation_type;
        }
        delete params.estimation_type;
      }
    });
  }

  const deploy = config.deploy;
  if (isTable(deploy) && isTable(deploy.converter) && deploy.converter.kind === 'KerasCNN2C') {
    warn('deploy.converter.kind', "converter 'KerasCNN2C' is the pre-2.0 name of 'QualiaCodeGen'; write converter.kind = 'QualiaCodeGen' (read as QualiaCodeGen)");
    deploy.converter.kind = 'QualiaCodeGen';
  }

  const models = config.model;
  if (Array.isArray(models)) {
    models.forEach((model, index) => {
      if (isTable(model) && model.kind === 'CNNSampleNorm') {
        warn(joinPath(joinPath('model', index), 'kind'), "model kind 'CNNSampleNorm' was removed from Qualia (its CNN with a SampleNorm input layer is gone); use 'ResNetSampleNorm', or 'CNN' after a Normalize preprocessing");
      }
    });
  }
}

/** Pre-2.0 QAT: `params.width` / `params.force_q` at the top, `quantize_linear` / `quantize_add` flags. */
function fixQuantizationAwareTraining(params: Table, path: string, warn: (path: string, message: string) => void): void {
  const quantParams = (): Table | undefined => {
    const model = ensureTable(params, 'model');
    const modelParams = model && ensureTable(model, 'params');
    return modelParams && ensureTable(modelParams, 'quant_params');
  };
  for (const [old, modern] of [['width', 'bits'], ['force_q', 'force_q']] as const) {
    if (!Object.hasOwn(params, old)) continue;
    const target = quantParams();
    if (!target) return; // params.model is not a table: the kind's own validation reports that
    const modernPath = `params.model.params.quant_params.${modern}`;
    if (Object.hasOwn(target, modern)) {
      warn(joinPath(path, old), `'params.${old}' is pre-2.0 Qualia syntax and ${modernPath} is also set; the old key is ignored`);
    } else {
      warn(joinPath(path, old), `'params.${old}' is pre-2.0 Qualia syntax (Qualia 2.x raises TypeError); write ${modernPath} = ${String(params[old])} (read that way)`);
      target[modern] = params[old];
    }
    delete params[old];
  }
  const model = params.model;
  if (!isTable(model) || !isTable(model.params)) return;
  for (const flag of ['quantize_linear', 'quantize_add']) {
    if (!Object.hasOwn(model.params, flag)) continue;
    warn(`${path}.model.params.${flag}`, `'params.model.params.${flag}' is no longer accepted by Qualia's quantized models (TypeError at QAT time); Linear and Add layers are always quantized now: remove it (ignored)`);
    delete model.params[flag];
  }
}

function ensureTable(parent: Table, key: string): Table | undefined {
  const existing = parent[key];
  if (isTable(existing)) return existing;
  if (existing !== undefined) return undefined;
  const created: Table = {};
  parent[key] = created;
  return created;
}
