import { describe, expect, it } from 'vitest';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { createRng } from '../../src/core/base/rng';
import { faultyTransport } from '../evaluation/simulated-board';
import { FIXTURE_HASH, fixtureReference } from './fixture-model';
import { randomInt8Vectors, readModelDir, requireTools } from './helpers';

const enabled = requireTools('arm-none-eabi-gcc', 'qemu-system-arm');

describe.runIf(enabled)('the C firmware over a corrupted link (QEMU)', () => {
  it('resynchronises after bit flips, drops and garbage in both directions; no wrong result is taken', async () => {
    const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: readModelDir() });
    const board = await startVirtualCortexM4(build.files['firmware.elf']);
    try {
      const link = faultyTransport(board.transport, createRng(77), { bitFlipPerByte: 0.001, dropPerByte: 0.0005, garbagePerChunk: 0.02 });
      const vectors = randomInt8Vectors(80, 16, 31);
      const report = await evaluateOnBoard({
        transport: link, vectors, reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH,
        batchSize: 10, frameTimeoutMs: 300, helloTimeoutMs: 300, maxRetries: 40,
      });
      expect(report.n).toBe(80);
      expect(report.bit_exact).toBe(true);
      report.rows.forEach((row, i) => expect(row.outputs).toEqual(Array.from(fixtureReference(vectors[i]))));
      expect(report.retries).toBeGreaterThan(0);
    } finally {
      await board.stop();
    }
  }, 60_000);
});
