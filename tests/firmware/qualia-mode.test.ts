import { describe, expect, it } from 'vitest';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateQualiaBoard } from '../../src/core/evaluation/protocol-qualia';
import { createRng } from '../../src/core/base/rng';
import { fixtureReference, quantizeFixtureInput } from './fixture-model';
import { readModelDir, requireTools } from './helpers';

const enabled = requireTools('arm-none-eabi-gcc', 'qemu-system-arm');

describe.runIf(enabled)("Qualia's text protocol against our template built with -DMOTE_PROTOCOL_QUALIA (QEMU)", () => {
  it('acks byte counts and answers i,label,score,us like the TypeScript reference', async () => {
    const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: readModelDir(), options: { protocol: 'qualia' } });
    const rng = createRng(21);
    // Floats as a dataset would hold them, some beyond the int8 range after scaling (clamping) and some
    // exactly on rounding midpoints (k + 0.5)/32, where floor(x + 0.5) must round up.
    const vectors = Array.from({ length: 30 }, (_, k) => Float32Array.from({ length: 16 }, (_, i) =>
      (k + i) % 7 === 0 ? (rng.int(64) - 32 + 0.5) / 32 : (rng.next() - 0.5) * (k % 5 === 0 ? 12 : 4)));
    const expected = vectors.map((v) => fixtureReference(quantizeFixtureInput(v)));
    const labels = expected.map((out) => Array.from(out).indexOf(Math.max(...out)));
    const board = await startVirtualCortexM4(build.files['firmware.elf']);
    try {
      const report = await evaluateQualiaBoard({ transport: board.transport, vectors, labels, timeout: 10 });
      expect(report.n).toBe(30);
      report.rows.forEach((row, k) => {
        expect(row.i).toBe(k + 1);
        expect(row.label).toBe(labels[k]);
        expect(row.score).toBe(Math.max(...expected[k]));
        expect(row.us).toBeGreaterThanOrEqual(0);
      });
      expect(report.accuracy).toBe(1);
      expect(report.avg_time).toBeDefined();
    } finally {
      await board.stop();
    }
  });
});
