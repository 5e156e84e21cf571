import { describe, expect, it } from 'vitest';
import { firmwareSize, parseElf } from '../../src/core/deploy/elf';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateFixtureOnce, randomInt8Vectors, readModelDir, requireTools } from './helpers';

const enabled = requireTools('arm-none-eabi-gcc', 'qemu-system-arm', 'gcc');

describe.runIf(enabled)('VirtualCortexM4 firmware (template + fixture model on QEMU mps2-an386)', () => {
  it('says HELLO, answers bit-exactly, and counts the same instructions on every run', async () => {
    const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: readModelDir() });
    const elf = build.files['firmware.elf'];
    const size = firmwareSize(parseElf(elf));
    expect(size.rom_bytes).toBeGreaterThan(1000);
    expect(size.rom_bytes).toBeLessThan(8 * 1024);

    const vectors = randomInt8Vectors(40, 16, 7);
    const runOnce = () => evaluateFixtureOnce(() => startVirtualCortexM4(elf, { exactInstructions: true }), vectors);
    const first = await runOnce();
    expect(first.report.hello.boardId).toBe('virtual-cortex-m4');
    expect(first.report.hello.modelName).toBe('fixture_dense_q8');
    expect(first.report.hello.inputShape).toEqual([4, 4]);
    expect(first.report.n).toBe(40);
    expect(first.report.bit_exact).toBe(true);
    expect(first.report.agreement).toBe(1);
    expect(first.report.accuracy).toBe(1);
    expect(first.report.counter_kind).toBe('instructions');
    // The plugin counts every executed instruction between the inference markers: one line per inference.
    expect(first.counts).toHaveLength(40);
    expect(first.counts.every((c) => c > 16 * 8 && c < 5000)).toBe(true);
    // SysTick under -icount shift=0 ticks every 40 instructions, so the firmware's own counter is within
    // one tick of the exact count (its phase depends on how long the board idled waiting for input).
    first.report.rows.forEach((row, i) => expect(Math.abs(row.counter - first.counts[i])).toBeLessThanOrEqual(80));
    const second = await runOnce();
    expect(second.counts).toEqual(first.counts);
    expect(second.report.rows.map((r) => r.outputs)).toEqual(first.report.rows.map((r) => r.outputs));
  });
});
