// Importing an .onnx file rewrites only the model tables of the experiment text: the default experiment
// becomes a valid experiment whose model is `[model_template] kind = "ONNX"` reading the kept file.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadExperiment } from '../../src/core/config/load';
import { modelNameOf, onnxModelPath, withOnnxModel } from '../../src/ui/editor/onnx-model-text';

const root = resolve(__dirname, '../..');
const DEFAULT = readFileSync(join(root, 'conf/digits/cnn_int8.toml'), 'utf8');

describe('the experiment text after an .onnx import', () => {
  test('the default experiment: the CNN tables give way to an ONNX model; every other line stays as typed', () => {
    const text = withOnnxModel(DEFAULT, 'digits cnn (1).onnx');
    const loaded = loadExperiment(text, { file: 'cnn_int8.toml' });
    expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const experiment = loaded.experiment!;
    expect(experiment.model).toHaveLength(1);
    expect(experiment.model[0]).toMatchObject({ kind: 'ONNX', name: 'digits_cnn_1_', train: false, params: { path: 'models/digits_cnn_1_.onnx' } });
    expect(experiment.postprocessing.map((p) => p.kind)).toEqual(['FuseBatchNorm', 'QuantizationAwareTraining']);
    expect(experiment.deploy?.limit).toBe(100);
    // Nothing of the CNN is left; the lines before and after the model tables are unchanged.
    expect(text).not.toMatch(/kind\s*=\s*"CNN"|\[model_template\.optimizer\]|params\.filters/);
    const before = DEFAULT.slice(0, DEFAULT.indexOf('[model_template]'));
    const after = DEFAULT.slice(DEFAULT.indexOf('[deploy]'));
    expect(text.startsWith(before)).toBe(true);
    expect(text.endsWith(after)).toBe(true);
  });

  test('an experiment without a model gets one at the end; names and paths are safe', () => {
    const text = withOnnxModel('[bench]\nname = "x"\n\n', 'model.onnx');
    expect(text).toBe('[bench]\nname = "x"\n\n[model_template]\nkind   = "ONNX"     # imported from model.onnx; kept with this experiment\ntrain  = false      # keep the weights as trained elsewhere\nepochs = 0\n\n[[model]]\nname        = "model"\nparams.path = "models/model.onnx"\n');
    expect(modelNameOf('../../etc/9-net.ONNX')).toBe('net');
    expect(modelNameOf('.onnx')).toBe('imported');
    expect(onnxModelPath('a b.onnx')).toBe('models/a_b.onnx');
  });
});
