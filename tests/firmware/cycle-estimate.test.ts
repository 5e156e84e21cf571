// The Cortex-M4 cycle estimate (tools/qemu/insncount.c, bench/cortex-m4-cycles.md): its classifier agrees
// with arm-none-eabi-objdump on an assembled sample of every class and on a firmware it runs, the
// instruction counts stay exact, and an unclassified instruction is an error rather than a cost of 1.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCycleClassifier, classOfDisassembly, CycleClassifierError, disassemble } from '../../src/core/deploy/cycle-classifier-check.node';
import { PLUGIN_SOURCE, startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { FIXTURE_HASH, fixtureReference } from './fixture-model';
import { randomInt8Vectors, readModelDir, requireTools } from './helpers';

const SAMPLE = join(__dirname, '../samples/cycles/every-class.s');
const enabled = requireTools('arm-none-eabi-gcc', 'arm-none-eabi-objdump', 'qemu-system-arm', 'gcc');

/** The plugin's classifier as a host program (INSNCOUNT_CLASSIFY_MAIN): "<class> <cycles>" per line. */
function classifyOnHost(dir: string, encodings: string[]): { cls: string; cycles: number }[] {
  const tool = join(dir, 'classify');
  const gcc = spawnSync('gcc', ['-O1', '-DINSNCOUNT_CLASSIFY_MAIN', '-o', tool, PLUGIN_SOURCE], { encoding: 'utf8' });
  expect(gcc.status, gcc.stderr).toBe(0);
  const run = spawnSync(tool, [], { input: encodings.join('\n') + '\n', encoding: 'utf8' });
  expect(run.status).toBe(0);
  return run.stdout.trim().split('\n').map((line) => ({ cls: line.split(' ')[0], cycles: Number(line.split(' ')[1]) }));
}

describe.runIf(enabled)('Cortex-M4 cycle estimate', () => {
  it('classifies every instruction of the sample as objdump names it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-cycles-'));
    try {
      const object = join(dir, 'every-class.o');
      const as = spawnSync('arm-none-eabi-as', ['-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mthumb', '-o', object, SAMPLE], { encoding: 'utf8' });
      expect(as.status, as.stderr).toBe(0);
      const listing = [...disassemble(readFileSync(object)).entries()].filter(([, d]) => d.mnemonic !== '.word');
      expect(listing.length).toBeGreaterThan(180);
      const hex = (d: { encoding: number; bytes: number }) => d.bytes === 4
        ? `${(d.encoding >>> 16).toString(16)} ${(d.encoding & 0xffff).toString(16)}` : d.encoding.toString(16);
      const classified = classifyOnHost(dir, listing.map(([, d]) => hex(d)));
      const disagreements = listing.flatMap(([address, d], i) => {
        const expected = classOfDisassembly(d.mnemonic, d.operands, d.bytes);
        return expected === classified[i].cls ? [] : [`0x${address.toString(16)} ${d.mnemonic} ${d.operands}: plugin ${classified[i].cls}, objdump ${expected}`];
      });
      expect(disagreements).toEqual([]);
      // Every class of the table appears in the sample.
      expect(new Set(classified.map((c) => c.cls))).toEqual(new Set(['alu', 'mul', 'div', 'load', 'store', 'load-dual', 'store-dual', 'load-multiple', 'store-multiple', 'exclusive', 'branch', 'table-branch', 'it', 'hint', 'barrier', 'system', 'vfp-alu', 'vfp-mac', 'vfp-div', 'vfp-load', 'vfp-store', 'vfp-load-multiple', 'vfp-store-multiple', 'vfp-move']));
      // A few costs straight from the TRM table: LDM of three registers 1 + 3, LDRD 3, VMLA 3, VDIV 14, VPUSH of four words 1 + 4.
      const costOf = (mnemonic: string, operands: string) => classified[listing.findIndex(([, d]) => d.mnemonic === mnemonic && d.operands.startsWith(operands))].cycles;
      expect(costOf('ldmia', 'r0!, {r1, r2, r3}')).toBe(4);
      expect(costOf('ldrd', 'r0, r1, [r2, #8]')).toBe(3);
      expect(costOf('vmla.f32', 's0')).toBe(3);
      expect(costOf('vdiv.f32', 's0')).toBe(14);
      expect(costOf('vpush', '{s16-s19}')).toBe(5);
      expect(costOf('sdiv', 'r0')).toBe(12);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses double-precision arithmetic (no such unit on a Cortex-M4F) instead of costing it 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mote-cycles-'));
    try {
      // vadd.f64 d0, d1, d2 and a coprocessor-0 CDP: both outside the table.
      expect(classifyOnHost(dir, ['ee31 0b02', 'ee00 0000']).map((c) => c.cls)).toEqual(['unknown', 'unknown']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('estimates cycles on a firmware, checked against objdump, with the instruction count unchanged', async () => {
    const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: readModelDir() });
    const elf = build.files['firmware.elf'];
    const vectors = randomInt8Vectors(6, 16, 3);
    const run = async (classified: boolean) => {
      const board = await startVirtualCortexM4(elf, { exactInstructions: true, classifiedInstructions: classified });
      try {
        const report = await evaluateOnBoard({ transport: board.transport, vectors, reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH });
        expect(report.bit_exact).toBe(true);
      } finally {
        await board.stop();
      }
      return { instructions: await board.instructionCounts(), cycles: await board.cycleEstimates(), executed: await board.executedInstructions() };
    };
    const plain = await run(false);
    const checked = await run(true);
    expect(checked.instructions).toEqual(plain.instructions);
    expect(checked.cycles).toEqual(plain.cycles);
    expect(plain.executed).toEqual([]);
    expect(plain.cycles).toHaveLength(6);
    // Loads cost 2 and taken branches 3, so a model's inference costs more cycles than instructions, but
    // not three times as many.
    plain.cycles.forEach((c, i) => {
      expect(c).toBeGreaterThan(plain.instructions[i]);
      expect(c).toBeLessThan(3 * plain.instructions[i]);
    });
    expect(checkCycleClassifier(elf, checked.executed).checked).toBeGreaterThan(100);
    // A class the check disagrees with is reported with its address.
    const wrong = checked.executed.map((e, i) => (i === 0 ? { ...e, cls: e.cls === 'alu' ? 'mul' : 'alu' } : e));
    expect(() => checkCycleClassifier(elf, wrong)).toThrow(CycleClassifierError);
    expect(() => checkCycleClassifier(elf, wrong)).toThrow(new RegExp(`0x${checked.executed[0].address.toString(16)}:`));
  });
});
