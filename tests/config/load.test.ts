// Loader behaviour that golden samples show less directly: typed defaults, shared params, stale rewrites,
// unsupported kinds per stage, and the Node adapter's include search on disk.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatDiagnostic, loadExperiment, unsupportedKinds } from '../../src/core/config/load';
import { loadExperimentFile } from '../../src/core/config/load-file.node';
import { testCatalog } from './test-catalog';

const BASE = `
[bench]
name = "t"
seed = 1
first_run = 1
last_run = 2

[learningframework]
kind = "PyTorch"

[dataset]
kind = "UCI_HAR"
`;

function load(extra: string, overrides: string[] = []) {
  return loadExperiment(BASE + extra, { file: 't.toml', overrides, catalog: testCatalog });
}

describe('loadExperiment', () => {
  test('fills Qualia defaults and keeps kind params typed', () => {
    const { experiment, diagnostics } = load(`
[[data_augmentation]]
kind = "GaussianNoise"
params.evaluate = true

[model_template]
kind = "MLP"

[[model]]
name = "m"
params.units = [8]
params.input_shape = [128, 9]
params.quant_params = { bits = 8, w = { bits = 4 } }

[deploy]
target = "Linux"
converter.kind = "QualiaCodeGen"
quantize = ["int8"]
`);
    expect(diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(experiment?.bench).toEqual({ name: 't', seed: 1, first_run: 1, last_run: 2, plugins: [], use_test_as_valid: false });
    expect(experiment?.dataset).toEqual({ kind: 'UCI_HAR', params: { path: '', variant: 'features' } });
    expect(experiment?.data_augmentation[0].params).toEqual({ sigma: 0.375, evaluate: true, before: false, after: true });
    expect(experiment?.model[0]).toEqual({
      kind: 'MLP', name: 'm', disabled: false, epochs: 0, batch_size: 32, load: false, train: true, evaluate: true,
      params: { units: [8], input_shape: [128, 9], quant_params: { bits: 8, w: { bits: 4 } } },
    });
    expect(experiment?.deploy).toEqual({
      target: 'Linux', converter: { kind: 'QualiaCodeGen', params: { metrics: ['acc'] } }, deployer: { params: {} }, evaluator: { params: {} },
      quantize: ['int8'], optimize: [''], compress: [1],
    });
    expect(experiment?.preprocessing).toEqual([]);
    expect(experiment?.postprocessing).toEqual([]);
  });

  test('stale QAT syntax is rewritten to the modern keys the kind schema checks', () => {
    const { experiment, diagnostics } = load(`
[[postprocessing]]
kind = "QuantizationAwareTraining"
params.width = 8
params.force_q = 4

[model_template]
[[model]]
kind = "MLP"
name = "m"
params.units = [8]
`);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.map((d) => d.path)).toEqual(['postprocessing[0].params.width', 'postprocessing[0].params.force_q']);
    expect(experiment?.postprocessing[0].params).toMatchObject({ model: { params: { quant_params: { bits: 8, force_q: 4 } } }, epochs: 1 });
  });

  test('overrides reach [model_template] before it is merged into the models', () => {
    const { experiment } = load(`
[model_template]
kind = "MLP"
[[model]]
name = "a"
params.units = [8]
[[model]]
name = "b"
params.units = [8]
`, ['--model_template.epochs=7', '--model.1.epochs=2']);
    expect(experiment?.model.map((m) => m.epochs)).toEqual([7, 2]);
  });

  test('includes need a resolver; without one the include is an error at its entry', () => {
    const text = `includes = ["x.toml"]\n${BASE}[model_template]\n[[model]]\nkind = "MLP"\nname = "m"\nparams.units = [1]\n`;
    const { diagnostics } = loadExperiment(text, { file: 't.toml', catalog: testCatalog });
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "t.toml:1:13: error: includes[0]: cannot read include 'x.toml' here (no file access); paste its settings into this experiment or load it with the mote CLI",
    ]);
  });

  test('unsupportedKinds names, per stage, the kinds the pipeline cannot run', () => {
    const { experiment } = loadExperiment(BASE + `
[[preprocessing]]
kind = "Window"
[[postprocessing]]
kind = "FuseBatchNorm"
[model_template]
kind = "TorchVisionModel"
[[model]]
name = "a"
[[model]]
name = "b"
[[model]]
name = "c"
disabled = true
kind = "ResNet"
[deploy]
target = "SparkFunEdge"
converter.kind = "QualiaCodeGen"
quantize = ["int8"]
`, { catalog: testCatalog });
    expect(experiment).toBeDefined();
    const e = experiment!;
    expect(unsupportedKinds(e, 'preprocess_data', testCatalog)).toEqual([
      "preprocessing kind 'Window' (preprocessing[0]) is not supported by Mote yet; supported: Class2BinMatrix, DatamodelConverter",
    ]);
    expect(unsupportedKinds(e, 'train', testCatalog).slice(1)).toEqual([
      "model kind 'TorchVisionModel' (model[0], model[1]) is not supported by Mote yet; supported: CNN, MLP",
    ]);
    expect(unsupportedKinds(e, 'deploy_and_evaluate', testCatalog).at(-1)).toBe(
      "deploy target kind 'SparkFunEdge' (deploy.target) is not supported by Mote yet; supported: Linux",
    );
    const noDeploy = { ...e, deploy: undefined };
    expect(unsupportedKinds(noDeploy, 'prepare_deploy', testCatalog)[0]).toMatch(/prepare_deploy needs a \[deploy\] table/);
  });
});

describe('loadExperimentFile (Node)', () => {
  test('resolves includes from include_search_paths, then ./conf, relative to the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-config-'));
    mkdirSync(join(dir, 'conf'));
    mkdirSync(join(dir, 'extra'));
    writeFileSync(join(dir, 'exp.toml'), `includes = ["data.toml", "deploy.toml"]\ninclude_search_paths = ["extra"]\n` + BASE.replace('[dataset]\nkind = "UCI_HAR"\n', '') + `
[model_template]
kind = "MLP"
[[model]]
name = "m"
params.units = [4]
`);
    writeFileSync(join(dir, 'extra', 'data.toml'), '[dataset]\nkind = "UCI_HAR"\nparams.variant = "raw"\n');
    writeFileSync(join(dir, 'conf', 'data.toml'), '[dataset]\nkind = "UCI_HAR"\nparams.variant = "features"\n');
    writeFileSync(join(dir, 'conf', 'deploy.toml'), '[deploy]\ntarget = "Linux"\nconverter.kind = "QualiaCodeGen"\nquantize = ["int8"]\nlimit = -1\n');
    const result = loadExperimentFile('exp.toml', [], { cwd: dir, catalog: testCatalog });
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(['conf/deploy.toml:5:1: error: deploy.limit: must be at least 1, got -1']);
    const fixed = loadExperimentFile('exp.toml', ['--deploy.limit=10'], { cwd: dir, catalog: testCatalog });
    expect(fixed.experiment?.dataset.params).toEqual({ path: '', variant: 'raw' });
    expect(fixed.experiment?.deploy?.limit).toBe(10);
  });

  test('a missing file is one diagnostic, not an exception', () => {
    const result = loadExperimentFile('/nonexistent/exp.toml');
    expect(result.diagnostics.map(formatDiagnostic)).toEqual(['/nonexistent/exp.toml:1:1: error: cannot read the experiment: no such file']);
  });
});

describe('loaded values', () => {
  test('tables are ordinary objects (smol-toml builds null-prototype ones)', () => {
    const { experiment } = loadExperiment(BASE + '[model_template]\n[[model]]\nkind = "ResNet"\nname = "r"\nparams.filters = [8]\n', { catalog: testCatalog });
    expect(Object.getPrototypeOf(experiment!.model[0].params)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(experiment!.bench)).toBe(Object.prototype);
  });
});
