// Benchmark models for the inference bench and the generated-model firmware tests: Qualia's UCI-HAR
// ResNetv1-8 (qualia-core conf/tests/UCI-HAR_ResNetv1_QualiaCodeGen_NucleoL452REP_int8_*.toml: filters
// [8, 8], kernels [3, 3], paddings [1, 1], strides [1, 2], num_blocks [2], no batch norm, input 128 × 9,
// 6 classes) with seeded initial weights, quantized post-training (fxp, floor, minmax) on seeded data.
// Weights do not change instruction counts or sizes; they only need to be the same on every run.
import { generateC } from '../../src/core/codegen/emit';
import type { Dialect, GeneratedSources } from '../../src/core/codegen/types';
import type { Issue } from '../../src/core/base/schema';
import type { ModelGraph } from '../../src/core/models/graph';
import { cnn } from '../../src/core/models/cnn';
import { resnet } from '../../src/core/models/resnet';
import { createRng } from '../../src/core/base/rng';
import { formatDiagnostic } from '../../src/core/config/load';
import { loadExperimentFile } from '../../src/core/config/load-file.node';
import type { ModelKind } from '../../src/core/models/builder';
import { modelKinds } from '../../src/core/models/registry';
import { fuseBatchNorm } from '../../src/core/postprocessing/fuse-batchnorm';
import { calibrate } from '../../src/core/quantization/calibrate';
import { lowerForDeployment } from '../../src/core/quantization/lower';
import { resolveQuantizers, type QuantParams } from '../../src/core/quantization/quant-params';
import { quantizeGraph, type QuantizedGraph } from '../../src/core/quantization/quantized-graph';
import { quantizeInput, runIntReference } from '../../src/core/quantization/reference-int';
import type { RawVector } from '../../src/core/evaluation/protocol-v1';

export const UCI_HAR_INPUT = [128, 9];

export function uciHarResnetV1_8(): ModelGraph {
  const issues: Issue[] = [];
  const params = resnet.params.parse({ filters: [8, 8], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 2], num_blocks: [2], prepool: 1, batch_norm: false }, 'model[0].params', issues);
  if (issues.some((i) => i.severity === 'error')) throw new Error(`ResNetv1-8 params: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return resnet.build(params, UCI_HAR_INPUT, 6, 'uci-har_resnetv1_8', { rng: createRng(2) });
}

/** Qualia's Getting Started model (qualia docs/GettingStarted/config.toml): 1-D CNN, filters [5, 5], kernels
 * [2, 2], pool [2, 0], batch norm (folded for deployment), on UCI-HAR 128 × 9. */
export function uciHarCnnSimple(): ModelGraph {
  const issues: Issue[] = [];
  const params = cnn.params.parse({ dims: 1, filters: [5, 5], kernel_sizes: [2, 2], pool_sizes: [2, 0], paddings: [0, 0], strides: [1, 1], dropouts: [0, 0], fc_units: [], batch_norm: true }, 'model[0].params', issues);
  if (issues.some((i) => i.severity === 'error')) throw new Error(`CNN params: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return cnn.build(params, UCI_HAR_INPUT, 6, 'uci-har_cnn_simple', { rng: createRng(3) });
}

/** The experiment's first model, as the train stage builds it (train.ts), from its Synthetic dataset's shape. */
export function mlperfGraph(config: string): ModelGraph {
  const loaded = loadExperimentFile(config);
  if (!loaded.experiment) throw new Error(`${config}: ${loaded.diagnostics.map(formatDiagnostic).join('\n')}`);
  const experiment = loaded.experiment;
  const model = experiment.model[0];
  const data = experiment.dataset.params as { shape: number[]; classes: number };
  const { input_shape, output_shape, quant_params: _q, ...params } = model.params as Record<string, unknown> & { input_shape?: number[]; output_shape?: number[] };
  const kind = (modelKinds as Record<string, ModelKind>)[model.kind];
  return kind.build(params, input_shape ?? data.shape, output_shape?.[0] ?? data.classes, model.name, { rng: createRng(experiment.bench.seed).fork(`init:${model.name}`) });
}

/** The experiment's first model as its post-processing hands it to deployment: `mlperfGraph`, then its batch
 * norms folded when the experiment lists FuseBatchNorm (as the pipeline's post-processing stage does). */
export function mlperfDeployedGraph(config: string): ModelGraph {
  const loaded = loadExperimentFile(config);
  const graph = mlperfGraph(config);
  const fuses = (loaded.experiment?.postprocessing ?? []).some((p) => p.kind === 'FuseBatchNorm');
  return fuses ? fuseBatchNorm(graph).graph : graph;
}

export const FASHION_INPUT = [28, 28, 1];

/** The Fashion-MNIST CNN of Qualia's conf/fashionmnist/cnn_int8.toml (2-D, filters [16, 32], kernels 3, padding
 * 1, pool 2, fc [64], batch norm), ≈ 1.1 M MACs per inference; seeded weights. */
export function fashionCnn(): ModelGraph {
  const issues: Issue[] = [];
  const params = cnn.params.parse({ dims: 2, batch_norm: true, filters: [16, 32], kernel_sizes: [3, 3], paddings: [1, 1], strides: [1, 1], pool_sizes: [2, 2], dropouts: [0, 0, 0], fc_units: [64] }, 'model[0].params', issues);
  if (issues.some((i) => i.severity === 'error')) throw new Error(`Fashion CNN params: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  return cnn.build(params, FASHION_INPUT, 10, 'fashionmnist_cnn', { rng: createRng(1) });
}

export function seededInputs(shape: number[], count: number, seed: number): Float32Array[] {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: count }, () => Float32Array.from({ length: n }, () => rng.normal()));
}

export function quantizeModel(graph: ModelGraph, bits: 8 | 16, calibration: Float32Array[]): QuantizedGraph {
  const lowered = lowerForDeployment(graph);
  const x = new Float32Array(calibration.length * calibration[0].length);
  calibration.forEach((v, i) => x.set(v, i * v.length));
  const ranges = calibrate(lowered, { x, count: calibration.length });
  return quantizeGraph(lowered, ranges, resolveQuantizers({ bits, quantype: 'fxp', roundtype: 'floor', range_setting: 'minmax', LSQ: false } as QuantParams, 'quant_params'));
}

export interface FixedPointCase {
  name: string;
  quantized: QuantizedGraph;
  sources: GeneratedSources;
  /** Raw input vectors in the model's number format, and the integer reference for one of them. */
  vectors: RawVector[];
  reference: (v: RawVector) => RawVector;
}

export function fixedPointCase(graph: ModelGraph, bits: 8 | 16, dialect: Dialect, inputs: Float32Array[]): FixedPointCase {
  const quantized = quantizeModel(graph, bits, inputs);
  const name = `${graph.name}_q${bits}_${dialect}`;
  const sources = generateC({ format: bits === 8 ? 'int8' : 'int16', quantized }, { dialect, displayName: name });
  const toRaw = (values: ArrayLike<number>): RawVector => (bits === 8 ? Int8Array.from(values as ArrayLike<number>) : Int16Array.from(values as ArrayLike<number>));
  return {
    name,
    quantized,
    sources,
    vectors: inputs.map((x) => toRaw(quantizeInput(quantized, x))),
    reference: (v) => toRaw(runIntReference(quantized, Int32Array.from(v))),
  };
}
