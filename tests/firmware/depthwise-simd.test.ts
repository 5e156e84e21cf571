// The depthwise SIMD loops (src/core/layers/conv/c-depthwise.ts) run their inline assembly only on an
// Armv7E-M core (the grouped loops, packedDot per group in conv/c.ts, their DSP intrinsics):
// the host parity test covers the portable macros, this runs the real instructions on
// VirtualCortexM4 against the integer reference (interior and border windows, channel tails, strides,
// odd and even tap counts, fused ReLU through USAT), with inputs at twice the calibration spread.
import { describe, expect, it } from 'vitest';
import { generateC } from '../../src/core/codegen/emit';
import { checkCycleClassifier } from '../../src/core/deploy/cycle-classifier-check.node';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { quantizeInput, runIntReference } from '../../src/core/quantization/reference-int';
import { depthwiseStride2Model, pointwiseModel, quantizeZooModel, randomData, zoo } from '../codegen/zoo';
import { requireTools } from './helpers';

const enabled = requireTools('arm-none-eabi-gcc', 'arm-none-eabi-objdump', 'qemu-system-arm', 'gcc');

describe.runIf(enabled)('depthwise and grouped convolution on Cortex-M4 SIMD', () => {
  // 'depthwise' (3×3, stride 1, padding 1, 11 rows: row pairs and a last single row) takes the int16 plane loops,
  // 'depthwise_grouped' (strides, tails, other kernels) the 4-channel tap-pair steps; 'pointwise' the 1×1 int8 blocks.
  const models: Record<string, () => ReturnType<typeof depthwiseStride2Model>> = { ...zoo, depthwise_stride2: depthwiseStride2Model, pointwise: pointwiseModel };
  for (const [name, marker] of [['depthwise', 'static int32_t planew['], ['depthwise_stride2', 'ldr %[a], %[bias]'], ['depthwise_grouped', 'MOTE_DW_PAIR('], ['grouped', 'for (int g = 0; g < 2; g++)'], ['pointwise', 'static int32_t xe[']] as const) {
    it(`zoo '${name}' int8 cortex-m: bit-exact on QEMU, fewer estimated cycles than the scalar loops`, async () => {
      const graph = models[name]();
      const size = graph.shapes.input.reduce((a, b) => a * b, 1);
      const quantized = quantizeZooModel(graph, 8, 'floor', randomData(graph.shapes.input, 32, 1), 32);
      const data = randomData(graph.shapes.input, 6, 2).map((v) => v * 2);
      const vectors = Array.from({ length: 6 }, (_, i) => Int8Array.from(quantizeInput(quantized, data.subarray(i * size, (i + 1) * size))));
      const cycles: number[] = [];
      for (const packInt8Weights of [true, false]) {
        const sources = generateC({ format: 'int8', quantized }, { dialect: 'cortex-m', displayName: name, packInt8Weights });
        if (packInt8Weights) expect(sources.files['model.c']).toContain(marker);
        const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: sources.files });
        const elf = build.files['firmware.elf'];
        const board = await startVirtualCortexM4(elf, { exactInstructions: true, classifiedInstructions: packInt8Weights });
        try {
          const report = await evaluateOnBoard({ transport: board.transport, vectors, reference: (v) => Int8Array.from(runIntReference(quantized, Int32Array.from(v))), expectedModelHash: sources.report.hash });
          expect(report.bit_exact).toBe(true);
        } finally {
          await board.stop();
        }
        const estimates = await board.cycleEstimates();
        cycles.push(estimates.reduce((a, b) => a + b, 0) / estimates.length);
        if (packInt8Weights) checkCycleClassifier(elf, await board.executedInstructions(), name);
      }
      expect(cycles[0]).toBeLessThan(cycles[1]);
    }, 120_000);
  }
});
