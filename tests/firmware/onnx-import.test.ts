import { describe, expect, it } from 'vitest';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { importOnnx } from '../../src/core/models/onnx/import';
import { encodeOnnxModel } from '../../src/core/models/onnx/schema';
import { fixedPointCase, seededInputs } from '../../bench/inference/models';
import { torchCnn2d, torchResnet1d } from '../models/onnx/torch-style';
import { requireTools } from './helpers';

const enabled = requireTools('arm-none-eabi-gcc', 'qemu-system-arm');

describe.runIf(enabled)('an imported ONNX model: int8 PTQ → C → VirtualCortexM4', () => {
  for (const [name, make] of Object.entries({ torch_cnn2d: torchCnn2d, torch_resnet1d: torchResnet1d })) {
    it(`${name}: bit-exact with the integer reference on QEMU`, async () => {
      const graph = importOnnx(encodeOnnxModel(make()), { name });
      const inputs = seededInputs(graph.shapes.input, 8, 3);
      const c = fixedPointCase(graph, 8, 'cortex-m', inputs);
      const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files });
      const board = await startVirtualCortexM4(build.files['firmware.elf']);
      try {
        const report = await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash });
        expect(report.hello.modelName).toBe(c.name);
        expect(report.n).toBe(inputs.length);
        expect(report.bit_exact).toBe(true);
      } finally {
        await board.stop();
      }
    }, 120_000);
  }
});
