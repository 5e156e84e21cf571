// "New experiment from this dataset": a Qualia-schema TOML that trains a small, sensible model for the data's
// shape and deploys it as int8 — a starting point people then edit, written with comments saying why each
// choice was made. Windows of readings get a 1-D CNN (an MLP when too short to convolve), pictures a 2-D CNN
// with one conv block per halving down to ~4 pixels, sound clips MFCC features then a 1-D CNN, table rows an
// MLP. Every choice fits a microcontroller: a few thousand parameters, int8 post-training quantization.

import type { DatasetInfo } from '../data/library';
import { describeRate } from '../capture/rate';

export interface ExperimentDraft { name: string; toml: string }

/** What the TOML says about the data in its first comment line. */
function describeData(info: DatasetInfo): string {
  const classes = `${info.classNames.length} class${info.classNames.length === 1 ? '' : 'es'} (${info.classNames.slice(0, 6).join(', ')}${info.classNames.length > 6 ? ', …' : ''})`;
  switch (info.modality) {
    case 'series': return `windows of ${info.shape[0]} readings × ${info.shape[1]} axes${info.axes.length ? ` (${info.axes.join(', ')})` : ''}${info.rateHz ? ` at ${describeRate(info.rateHz)}` : ''}, ${classes}`;
    case 'image': return `${info.shape[1]} × ${info.shape[0]} ${info.shape[2] === 1 ? 'grey' : 'colour'} pictures, ${classes}`;
    case 'audio': return `${(info.shape[0] / (info.rateHz ?? 16000)).toFixed(2).replace(/\.?0+$/, '')} s sound clips at ${info.rateHz ?? 16000} Hz, ${classes}`;
    case 'table': return `rows of ${info.shape[0]} numbers${info.axes.length ? ` (${info.axes.slice(0, 6).join(', ')}${info.axes.length > 6 ? ', …' : ''})` : ''}, ${classes}`;
  }
}

const list = (values: (number | string)[]) => `[${values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}]`;

interface ModelChoice { kind: 'CNN' | 'MLP'; lines: string[]; preprocessing: string[]; epochs: number; comment: string }

function cnnLines(filters: number[], kernel: number, pool: number): string[] {
  return [
    `params.filters      = ${list(filters)}`,
    `params.kernel_sizes = ${list(filters.map(() => kernel))}`,
    `params.paddings     = ${list(filters.map(() => Math.floor(kernel / 2)))}`,
    `params.strides      = ${list(filters.map(() => 1))}`,
    `params.pool_sizes   = ${list(filters.map(() => pool))}`,
    `params.dropouts     = ${list(filters.map(() => 0))}`,
    'params.fc_units     = []',
  ];
}

function seriesModel(steps: number): ModelChoice {
  const normalize = ['kind = "Normalize"', 'params.method = "z-score"', 'params.axis   = [0, 1]   # one mean and deviation per axis, over every window and time step'];
  if (steps < 16) {
    return { kind: 'MLP', lines: ['params.units = [32, 16]'], preprocessing: normalize, epochs: 40, comment: `a small MLP (windows of ${steps} readings are too short to convolve)` };
  }
  const blocks = steps >= 64 ? 3 : 2;
  return { kind: 'CNN', lines: ['params.dims         = 1', ...cnnLines([8, 16, 24].slice(0, blocks), 5, 2)], preprocessing: normalize, epochs: 40, comment: `a 1-D CNN with ${blocks} conv blocks, each halving the window` };
}

function imageModel(height: number, width: number): ModelChoice {
  let blocks = 0;
  for (let h = Math.min(height, width); h >= 8 && blocks < 3; h = Math.floor(h / 2)) blocks++;
  blocks = Math.max(1, blocks);
  const normalize = ['kind = "Normalize"', 'params.method = "min-max"', 'params.axis   = [0, 1, 2, 3]   # one range for every pixel: 0..255 → 0..1'];
  return { kind: 'CNN', lines: ['params.dims         = 2', ...cnnLines([8, 16, 32].slice(0, blocks), 3, 2)], preprocessing: normalize, epochs: 30, comment: `a 2-D CNN with ${blocks} conv block${blocks > 1 ? 's' : ''}, each halving the picture` };
}

function audioModel(rateHz: number): { model: ModelChoice; mfcc: string[] } {
  const hop = Math.round(rateHz / 50);
  const mfcc = [
    'kind = "MFCC"   # 10 coefficients every 20 ms, the usual keyword-spotting front end',
    `params.sample_rate = ${rateHz}`,
    'params.n_mfcc      = 10',
    'params.log_mels    = true',
    'params.dims        = 1',
    `params.melkwargs.n_fft      = ${2 ** Math.ceil(Math.log2(rateHz * 0.03))}`,
    `params.melkwargs.hop_length = ${hop}`,
    'params.melkwargs.n_mels     = 40',
  ];
  const normalize = ['kind = "Normalize"', 'params.method = "z-score"', 'params.axis   = [0, 1]   # per coefficient, over clips and frames'];
  return { mfcc, model: { kind: 'CNN', lines: ['params.dims         = 1', ...cnnLines([16, 32], 3, 2)], preprocessing: normalize, epochs: 40, comment: 'a 1-D CNN over the MFCC frames' } };
}

function tableModel(features: number): ModelChoice {
  return { kind: 'MLP', lines: [`params.units = ${list(features > 64 ? [64, 32] : [32, 16])}`], preprocessing: ['kind = "Normalize"', 'params.method = "z-score"   # per column: columns come in different units'], epochs: 60, comment: 'an MLP (table columns have no order to convolve over)' };
}

/** A bench name from the dataset's name: Qualia uses it for logs/<name>/ and out/ folders. */
function benchName(dataset: string, model: string): string {
  return `${dataset.replace(/[^A-Za-z0-9_-]/g, '_')}_${model}_int8`;
}

export function experimentFromDataset(info: DatasetInfo): ExperimentDraft {
  const steps: string[][] = [['kind = "Class2BinMatrix"   # one-hot targets for the cross-entropy']];
  let choice: ModelChoice;
  switch (info.modality) {
    case 'series': choice = seriesModel(info.shape[0]); break;
    case 'image': choice = imageModel(info.shape[0], info.shape[1]); break;
    case 'audio': {
      const audio = audioModel(info.rateHz ?? 16000);
      steps.push(audio.mfcc);
      choice = audio.model;
      break;
    }
    case 'table': choice = tableModel(info.shape[0]); break;
  }
  steps.push(choice.preprocessing);
  const modelName = `${info.name.replace(/[^A-Za-z0-9_]/g, '_')}_${choice.kind.toLowerCase()}`;
  const name = benchName(info.name, choice.kind.toLowerCase());
  const smallest = Math.min(...info.counts.train.map((c, i) => c + (info.counts.test[i] ?? 0)));
  const toml = [
    `# Written by Mote for the dataset "${info.name}": ${describeData(info)}.`,
    `# The model: ${choice.comment}. Trained in float, then quantized to int8 by post-training calibration`,
    '# (QuantizationAwareTraining with 0 epochs) and evaluated as generated C. Edit anything: it is Qualia\'s schema.',
    smallest < 10 ? `# Only ${smallest} example${smallest === 1 ? '' : 's'} in the smallest class: record more (20+ per class) for a model that generalizes.` : undefined,
    '',
    '[bench]',
    `name      = "${name}"`,
    'seed      = 2',
    'first_run = 1',
    'last_run  = 1',
    '',
    '[learningframework]',
    'kind = "PyTorch"   # Qualia\'s name; Mote trains with tfjs and keeps Qualia\'s semantics',
    '',
    '[dataset]',
    'kind = "Recorded"   # stored on the Data page of this browser',
    `params.name = "${info.name}"`,
    ...steps.flatMap((lines) => ['', '[[preprocessing]]', ...lines]),
    '',
    '[[postprocessing]]',
    'kind = "QuantizationAwareTraining"',
    'params.epochs     = 0   # 0 epochs: post-training quantization (calibration only)',
    'params.batch_size = 32',
    'params.model.params.quant_params.bits          = 8',
    'params.model.params.quant_params.quantype      = "fxp"',
    'params.model.params.quant_params.roundtype     = "nearest"',
    'params.model.params.quant_params.range_setting = "minmax"',
    'params.model.params.quant_params.LSQ           = false',
    '',
    '[model_template]',
    `kind       = "${choice.kind}"`,
    `epochs     = ${choice.epochs}`,
    'batch_size = 16',
    '',
    '[model_template.optimizer]',
    'kind = "Adam"',
    'params.lr = 0.005',
    '',
    '[[model]]',
    `name = "${modelName}"`,
    ...choice.lines,
    '',
    '[deploy]',
    'target         = "Wasm"   # the virtual board in this browser; a board from the Boards page works too',
    'converter.kind = "QualiaCodeGen"',
    'quantize       = ["int8"]',
    'optimize       = [""]',
    'limit          = 200',
    '',
  ].filter((line): line is string => line !== undefined).join('\n');
  return { name, toml };
}
