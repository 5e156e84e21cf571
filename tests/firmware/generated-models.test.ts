import { describe, expect, it } from 'vitest';
import { firmwareSize, parseElf } from '../../src/core/deploy/elf';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { createWasmToolchain } from '../../src/core/deploy/toolchain';
import { startWasmBoard } from '../../src/core/deploy/wasm-board';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { UCI_HAR_INPUT, fixedPointCase, seededInputs, uciHarResnetV1_8 } from '../../bench/inference/models';
import { requireTools } from './helpers';

const enabled = requireTools('arm-none-eabi-gcc', 'qemu-system-arm', 'gcc');

describe.runIf(enabled)('generated models (src/core/codegen) on the virtual boards', () => {
  const graph = uciHarResnetV1_8();
  const inputs = seededInputs(UCI_HAR_INPUT, 12, 4);

  for (const [bits, dialect] of [[8, 'cortex-m'], [8, 'c99'], [16, 'cortex-m']] as const) {
    it(`UCI-HAR ResNetv1-8 int${bits} ${dialect}: bit-exact with the integer reference on QEMU, same instruction counts every run`, async () => {
      const c = fixedPointCase(graph, bits, dialect, inputs);
      const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files });
      const size = firmwareSize(parseElf(build.files['firmware.elf']));
      expect(size.rom_bytes).toBeGreaterThan(c.sources.report.weightBytes);
      const run = async () => {
        const board = await startVirtualCortexM4(build.files['firmware.elf'], { exactInstructions: true });
        try {
          const report = await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash });
          await board.stop();
          return { report, counts: await board.instructionCounts() };
        } finally {
          await board.stop();
        }
      };
      const first = await run();
      expect(first.report.hello.modelName).toBe(c.name);
      expect(first.report.bit_exact).toBe(true);
      expect(first.report.agreement).toBe(1);
      expect(first.counts).toHaveLength(inputs.length);
      expect(Math.min(...first.counts)).toBeGreaterThan(c.sources.report.macs);
      const second = await run();
      expect(second.counts).toEqual(first.counts);
    });
  }

  it('the same int8 model compiled to wasm32 returns the same integers', async () => {
    const c = fixedPointCase(graph, 8, 'c99', inputs);
    const build = await createWasmToolchain().build({ board: 'wasm', modelFiles: c.sources.files });
    const board = await startWasmBoard(build.files['firmware.wasm']);
    const report = await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash });
    await board.stop();
    expect(report.bit_exact).toBe(true);
    expect(report.n).toBe(inputs.length);
  }, 120_000);
});
