import { describe, expect, it } from 'vitest';
import { EM_RISCV, firmwareSize, parseElf } from '../../src/core/deploy/elf';
import { riscv32Virt } from '../../src/core/deploy/qemu-machine';
import { startQemuBoard } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { fixtureReference } from './fixture-model';
import { evaluateFixtureOnce, randomInt8Vectors, readModelDir, requireTools } from './helpers';

const enabled = requireTools('riscv64-unknown-elf-gcc', 'qemu-system-riscv32', 'gcc');

describe.runIf(enabled)('virtual RV32 firmware (template + fixture model on QEMU riscv32 virt)', () => {
  it('builds rv32imc code, says HELLO, answers bit-exactly, and its minstret counter equals the exact count', async () => {
    const build = await createLocalToolchain().build({ board: 'virtual-rv32', modelFiles: readModelDir() });
    const elf = build.files['firmware.elf'];
    const parsed = parseElf(elf);
    expect(parsed.machine).toBe(EM_RISCV);
    expect(parsed.class).toBe(32);
    const size = firmwareSize(parsed);
    expect(size.rom_bytes).toBeGreaterThan(1000);
    expect(size.rom_bytes).toBeLessThan(8 * 1024);

    const vectors = randomInt8Vectors(40, 16, 11);
    const runOnce = () => evaluateFixtureOnce(() => startQemuBoard(riscv32Virt, elf, { exactInstructions: true }), vectors);
    const first = await runOnce();
    expect(first.report.hello.boardId).toBe('virtual-rv32');
    expect(first.report.hello.modelName).toBe('fixture_dense_q8');
    expect(first.report.n).toBe(40);
    expect(first.report.bit_exact).toBe(true);
    expect(first.report.agreement).toBe(1);
    expect(first.report.counter_kind).toBe('instructions');
    expect(first.counts).toHaveLength(40);
    expect(first.counts.every((c) => c > 16 * 8 && c < 5000)).toBe(true);
    // minstret under -icount counts retired instructions; it is read a few instructions outside the
    // plugin's markers, so the two differ by one small constant (the instructions between the reads and the markers).
    const offsets = new Set(first.report.rows.map((row, i) => row.counter - first.counts[i]));
    expect(offsets.size).toBe(1);
    expect(Math.abs([...offsets][0])).toBeLessThanOrEqual(16);
    const second = await runOnce();
    expect(second.counts).toEqual(first.counts);
    expect(second.report.rows.map((r) => r.counter)).toEqual(first.report.rows.map((r) => r.counter));
  });

  it('ends the emulator with exit code 3 through the test device when the firmware traps (no semihosting)', async () => {
    const files = readModelDir();
    // A model that executes ebreak on its first inference: the trap vector must end QEMU, not hang it.
    files['model.c'] = files['model.c'].replace('const int8_t *x = &input[0][0];', 'const int8_t *x = &input[0][0];\n  __builtin_trap();');
    const build = await createLocalToolchain().build({ board: 'virtual-rv32', modelFiles: files });
    const board = await startQemuBoard(riscv32Virt, build.files['firmware.elf']);
    try {
      const evaluation = evaluateOnBoard({ transport: board.transport, vectors: randomInt8Vectors(1, 16, 3), reference: (v) => fixtureReference(v), frameTimeoutMs: 2000, maxRetries: 0 });
      await expect(evaluation).rejects.toThrow();
      expect(await board.exited).toBe(3);
    } finally {
      await board.stop();
    }
  });
});
