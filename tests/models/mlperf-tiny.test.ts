// MLPerf Tiny's four reference networks as Qualia experiments (conf/mlperf-tiny/): each loads without a
// diagnostic, builds the architecture the benchmark describes (layer structure, shapes, MACs), and the two
// small ones run int8 bit-exact on VirtualCortexM4 with the arena at the allocator's lower bound. The big
// ones (IC 12.6 M MACs, VWW 7.7 M) run in `node bench/inference/start.mjs mlperf-tiny` only.
import { describe, expect, it } from 'vitest';
import { loadExperimentFile } from '../../src/core/config/load-file.node';
import { formatDiagnostic } from '../../src/core/config/load';
import { Synthetic } from '../../src/core/data/kinds/synthetic';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import type { ConvLayer } from '../../src/core/layers/conv/layer';
import { lowerForDeployment } from '../../src/core/quantization/lower';
import { generateC } from '../../src/core/codegen/emit';
import { fixedPointCase, mlperfGraph, seededInputs } from '../../bench/inference/models';
import { requireTools } from '../firmware/helpers';

const CONFIGS = {
  kws: 'conf/mlperf-tiny/kws_dscnn_int8.toml',
  ic: 'conf/mlperf-tiny/ic_resnet8_int8.toml',
  vww: 'conf/mlperf-tiny/vww_mobilenetv1_int8.toml',
  ad: 'conf/mlperf-tiny/ad_fc_autoencoder_int8.toml',
};

const convs = (graph: ReturnType<typeof mlperfGraph>) => graph.layers.filter((l): l is ConvLayer => l.kind === 'Conv');
const macsOf = (graph: ReturnType<typeof mlperfGraph>) => generateC({ format: 'float32', graph: lowerForDeployment(graph) }, { dialect: 'c99' }).report.macs;

describe('MLPerf Tiny reference networks (conf/mlperf-tiny)', () => {
  it('every experiment loads without a diagnostic and uses the Synthetic dataset', () => {
    for (const path of Object.values(CONFIGS)) {
      const loaded = loadExperimentFile(path);
      expect(loaded.diagnostics.map(formatDiagnostic), path).toEqual([]);
      expect(loaded.experiment!.dataset.kind).toBe('Synthetic');
      expect(loaded.experiment!.deploy!.target).toBe('VirtualCortexM4');
    }
  });

  it('KWS DS-CNN: 49×10×1 → conv 64 10×4 /2 → 4 × (3×3 depthwise + 1×1 pointwise 64) → avg pool → 12', () => {
    const g = mlperfGraph(CONFIGS.kws);
    const c = convs(g);
    expect(g.shapes.input).toEqual([49, 10, 1]);
    expect(c.map((l) => [l.filters, l.kernel, l.groups])).toEqual([[64, [10, 4], 1], ...Array.from({ length: 4 }, () => [[64, [3, 3], 64], [64, [1, 1], 1]]).flat()]);
    expect(g.shapes.conv1).toEqual([25, 5, 64]);
    expect(g.shapes[g.layers[g.layers.length - 1].name]).toEqual([12]);
    expect(macsOf(g)).toBe(2_728_768);
  });

  it('IC ResNet-8: 32×32×3 → conv 16 → residual stacks 16, 32, 64 (strides 1, 2, 2; 1×1 projections) → avg pool → 10', () => {
    const g = mlperfGraph(CONFIGS.ic);
    expect(g.shapes.input).toEqual([32, 32, 3]);
    expect(g.layers.filter((l) => l.kind === 'Add')).toHaveLength(3);
    expect(convs(g).filter((l) => l.kernel.every((k) => k === 1)).map((l) => [l.filters, l.stride])).toEqual([[32, [2, 2]], [64, [2, 2]]]);
    expect(g.shapes[g.layers[g.layers.length - 1].name]).toEqual([10]);
    expect(macsOf(g)).toBe(12_587_648);
  });

  it('VWW MobileNetV1 0.25: 96×96×3 → conv 8 /2 → 13 depthwise-separable blocks → avg pool → 2', () => {
    const g = mlperfGraph(CONFIGS.vww);
    const depthwise = convs(g).filter((l) => l.groups > 1);
    expect(g.shapes.input).toEqual([96, 96, 3]);
    expect(depthwise).toHaveLength(13);
    expect(depthwise.map((l) => l.stride[0])).toEqual([1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1]);
    expect(g.shapes.pw13).toEqual([3, 3, 256]);
    expect(g.shapes[g.layers[g.layers.length - 1].name]).toEqual([2]);
    expect(macsOf(g)).toBe(7_721_216);
  });

  it('AD FC-AutoEncoder: 640 → 128 ×4 → 8 → 128 ×4 → 640', () => {
    const g = mlperfGraph(CONFIGS.ad);
    expect(g.layers.filter((l) => l.kind === 'Dense').map((l) => g.shapes[l.name][0])).toEqual([128, 128, 128, 128, 8, 128, 128, 128, 128, 640]);
    expect(macsOf(g)).toBe(264_192);
  });

  it('Synthetic data: seeded, in the configured shape, one pattern per class', async () => {
    const p = Synthetic.params.parse({ shape: [4, 3], classes: 3, train: 9, test: 3, seed: 5 }, 'dataset.params', []);
    const a = await Synthetic.load(p, undefined);
    const b = await Synthetic.load(p, undefined);
    expect(a.train.shape).toEqual([4, 3]);
    expect(a.train.count).toBe(9);
    expect(Array.from(a.train.labels)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2]);
    expect(a.train.x).toEqual(b.train.x);
    expect(a.classNames).toEqual(['0', '1', '2']);
    await expect(Synthetic.load(Synthetic.params.parse({ shape: [4096, 4096], classes: 2, train: 10, test: 1 }, 'dataset.params', []), undefined)).rejects.toThrow(/params.train or the shape/);
  });

  for (const id of ['kws', 'ad'] as const) {
    it.runIf(requireTools('arm-none-eabi-gcc', 'qemu-system-arm', 'gcc'))(`${id}: int8 cortex-m bit-exact on VirtualCortexM4, arena at the lower bound`, async () => {
      const graph = mlperfGraph(CONFIGS[id]);
      const c = fixedPointCase(graph, 8, 'cortex-m', seededInputs(graph.shapes.input, 2, 4));
      expect(c.sources.report.arenaBytes).toBe(c.sources.report.arenaLowerBoundBytes);
      const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files });
      const board = await startVirtualCortexM4(build.files['firmware.elf'], { exactInstructions: true });
      try {
        const report = await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash, frameTimeoutMs: 60_000 });
        expect(report.bit_exact).toBe(true);
      } finally {
        await board.stop();
      }
      const cycles = await board.cycleEstimates();
      expect(cycles).toHaveLength(2);
      expect(cycles[0]).toBeGreaterThan(c.sources.report.macs);
    }, 120_000);
  }
});
