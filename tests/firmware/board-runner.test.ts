import { describe, expect, it } from 'vitest';
import { deployAndEvaluateBoard } from '../../src/core/deploy/board-runner.node';
import { targetKinds } from '../../src/core/deploy/registry';
import type { Issue } from '../../src/core/base/schema';
import { FIXTURE_HASH, fixtureReference, quantizeFixtureInput } from './fixture-model';
import { readModelDir, requireTools } from './helpers';
import { createRng } from '../../src/core/base/rng';

const enabled = requireTools('arm-none-eabi-gcc', 'qemu-system-arm', 'gcc');

describe('board target params (Qualia schemas)', () => {
  it("accepts Qualia's NucleoL452REP deployer and evaluator params with Qualia's defaults", () => {
    const issues: Issue[] = [];
    const deployer = targetKinds.NucleoL452REP.params.parse({ core_clock_48mhz: true }, 'deploy.deployer.params', issues);
    const evaluator = targetKinds.NucleoL452REP.evaluatorParams.parse({ dev: '/dev/ttyACM0' }, 'deploy.evaluator.params', issues);
    expect(issues).toEqual([]);
    expect(deployer).toEqual({ core_clock_48mhz: true });
    expect(evaluator).toEqual({ dev: '/dev/ttyACM0', baudrate: 921600, timeout: 30, shuffle: false, protocol: 'mote-v1' });
    targetKinds.NucleoL452REP.evaluatorParams.parse({ baudrate: 'fast', devv: 'x' }, 'deploy.evaluator.params', issues);
    expect(issues.map((i) => i.message).join('\n')).toMatch(/expected an integer[\s\S]*unknown key 'devv' \(did you mean 'dev'\?\)/);
  });
});

describe.runIf(enabled)('deployAndEvaluateBoard (Node runner used by the pipeline)', () => {
  const rng = createRng(8);
  const floats = Array.from({ length: 20 }, () => Float32Array.from({ length: 16 }, () => (rng.next() - 0.5) * 6));
  const vectors = floats.map((v) => quantizeFixtureInput(v));
  const labels = vectors.map((v) => { const r = Array.from(fixtureReference(v)); return r.indexOf(Math.max(...r)); });

  it('VirtualCortexM4: bit-exact report, exact instructions per inference, Qualia ROM/RAM', async () => {
    const result = await deployAndEvaluateBoard({ target: 'VirtualCortexM4', modelFiles: readModelDir(), vectors, labels, reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH });
    expect(result.report?.bit_exact).toBe(true);
    expect(result.report?.accuracy).toBe(1);
    expect(result.instruction_counts).toHaveLength(20);
    expect(result.instructions_per_inference).toBeGreaterThan(100);
    expect(result.size?.rom_bytes).toBeGreaterThan(1000);
  });

  it("VirtualCortexM4 with protocol = 'qualia': Qualia's accuracy and avg_time", async () => {
    const result = await deployAndEvaluateBoard({ target: 'VirtualCortexM4', modelFiles: readModelDir(), vectors, floatVectors: floats, labels, reference: (v) => fixtureReference(v), evaluatorParams: { protocol: 'qualia' } });
    expect(result.qualiaReport?.n).toBe(20);
    expect(result.qualiaReport?.accuracy).toBe(1);
  });
});

describe('deployAndEvaluateBoard on the boards added through the registry alone', () => {
  const rng = createRng(9);
  const vectors = Array.from({ length: 12 }, () => quantizeFixtureInput(Float32Array.from({ length: 16 }, () => (rng.next() - 0.5) * 6)));
  const labels = vectors.map((v) => { const r = Array.from(fixtureReference(v)); return r.indexOf(Math.max(...r)); });

  it.runIf(requireTools('riscv64-unknown-elf-gcc', 'qemu-system-riscv32', 'gcc'))('VirtualRV32: QEMU riscv32 virt started from the board\'s declared machine, bit-exact, exact instructions', async () => {
    const result = await deployAndEvaluateBoard({ target: 'VirtualRV32', modelFiles: readModelDir(), vectors, labels, reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH });
    expect(result.report?.hello.boardId).toBe('virtual-rv32');
    expect(result.report?.bit_exact).toBe(true);
    expect(result.report?.accuracy).toBe(1);
    expect(result.instruction_counts).toHaveLength(12);
    expect(result.size?.rom_bytes).toBeGreaterThan(1000);
  });

  it.runIf(requireTools('arm-none-eabi-gcc', 'arm-none-eabi-objcopy'))('VirtualPico: packaged (sealed boot2 + UF2) and booted in rp2040js, bit-exact, SysTick cycles', async () => {
    const result = await deployAndEvaluateBoard({ target: 'VirtualPico', modelFiles: readModelDir(), vectors, labels, reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH });
    expect(result.report?.hello.boardId).toBe('rp2040');
    expect(result.report?.bit_exact).toBe(true);
    expect(result.report?.counter_kind).toBe('cycles');
    expect(Object.keys(result.build.files).sort()).toEqual(['firmware.bin', 'firmware.elf', 'firmware.uf2']);
    expect(result.instruction_counts).toBeUndefined();
  });
});
