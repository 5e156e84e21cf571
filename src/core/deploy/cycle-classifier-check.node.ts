// Checks the QEMU plugin's Cortex-M4 instruction classes (tools/qemu/insncount.c) against an independent
// decoder: arm-none-eabi-objdump's disassembly of the same firmware. Every instruction the firmware ran
// must sit where objdump has an instruction with the same encoding, and objdump's mnemonic must belong to
// the class the plugin costed it as. The benches run it on every firmware they measure, so a cycle
// estimate is never built on a misread instruction.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MoteError } from '../base/errors';
import type { ExecutedInstruction } from './qemu.node';

/** The plugin's classification disagrees with objdump, or objdump could not be run. */
export class CycleClassifierError extends MoteError {}

// objdump mnemonic (condition code and .n/.w/.f32 suffixes removed) → the plugin's class.
const classOfMnemonic: Record<string, string> = {};
function classes(cls: string, mnemonics: string): void {
  for (const m of mnemonics.split(/\s+/).filter(Boolean)) classOfMnemonic[m] = cls;
}
classes('alu', `mov movs movw movt mvn mvns add adds addw adc adcs sub subs subw sbc sbcs rsb rsbs neg negs and ands orr orrs
  orn orns eor eors bic bics lsl lsls lsr lsrs asr asrs ror rors rrx rrxs cmp cmn tst teq adr
  sxtb sxth uxtb uxth sxtab sxtah uxtab uxtah sxtb16 uxtb16 sxtab16 uxtab16 ssat usat ssat16 usat16
  qadd qsub qdadd qdsub qadd16 qsub16 qadd8 qsub8 qasx qsax sadd16 ssub16 sadd8 ssub8 sasx ssax
  uadd16 usub16 uadd8 usub8 uasx usax uqadd16 uqsub16 uqadd8 uqsub8 shadd16 shsub16 shadd8 shsub8 uhadd16 uhsub16 uhadd8 uhsub8
  shasx shsax uhasx uhsax uqasx uqsax sel clz rev rev16 revsh rbit bfi bfc sbfx ubfx pkhbt pkhtb`);
classes('mul', `mul muls mla mls smulbb smulbt smultb smultt smlabb smlabt smlatb smlatt smulwb smulwt smlawb smlawt
  smlad smladx smlsd smlsdx smuad smuadx smusd smusdx smmul smmulr smmla smmlar smmls smmlsr usad8 usada8
  smull umull smlal umlal umaal smlalbb smlalbt smlaltb smlaltt smlald smlaldx smlsld smlsldx`);
classes('div', 'sdiv udiv');
classes('load', 'ldr ldrb ldrh ldrsb ldrsh ldrt ldrbt ldrht ldrsbt ldrsht');
classes('store', 'str strb strh strt strbt strht');
classes('load-dual', 'ldrd');
classes('store-dual', 'strd');
classes('load-multiple', 'ldm ldmia ldmfd ldmdb ldmea pop');
classes('store-multiple', 'stm stmia stmea stmdb stmfd push');
classes('exclusive', 'ldrex ldrexb ldrexh strex strexb strexh');
classes('branch', 'b bl bx blx cbz cbnz');
classes('table-branch', 'tbb tbh');
classes('hint', 'nop yield wfe wfi sev pld pli');
classes('barrier', 'dsb dmb isb clrex');
classes('system', 'msr mrs cpsid cpsie svc bkpt udf');
classes('vfp-alu', 'vadd vsub vmul vnmul vabs vneg vcmp vcmpe vcvt vcvtr vcvtb vcvtt');
classes('vfp-mac', 'vmla vmls vnmla vnmls vfma vfms vfnma vfnms');
classes('vfp-div', 'vdiv vsqrt');
classes('vfp-load', 'vldr');
classes('vfp-store', 'vstr');
classes('vfp-load-multiple', 'vldm vldmia vldmdb vpop');
classes('vfp-store-multiple', 'vstm vstmia vstmdb vpush');
classes('vfp-move', 'vmrs vmsr');

const CONDITIONS = ['eq', 'ne', 'cs', 'hs', 'cc', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al'];

/** The class objdump's line implies, or undefined when its mnemonic is in no class. */
export function classOfDisassembly(mnemonic: string, operands: string, bytes: number): string | undefined {
  const base = mnemonic.toLowerCase().split('.')[0];
  if (/^it[te]{0,3}$/.test(base)) return 'it';
  const candidates = [base, ...CONDITIONS.filter((c) => base.length > c.length && base.endsWith(c)).map((c) => base.slice(0, -c.length))];
  for (const name of candidates) {
    if (name === 'vmov') {
      // Between core and FPU registers a transfer, else a register or immediate move inside the FPU.
      return /\b(r\d+|ip|lr|sp|fp|sl|sb)\b/.test(operands) ? 'vfp-move' : 'vfp-alu';
    }
    const cls = classOfMnemonic[name];
    if (!cls) continue;
    // A one-register 32-bit push/pop is encoded as STR/LDR with writeback (ARMv7-M A7.7.99/101).
    if ((name === 'pop' || name === 'push') && bytes === 4 && !operands.includes(',')) return name === 'pop' ? 'load' : 'store';
    return cls;
  }
  return undefined;
}

interface DisassembledInstruction {
  encoding: number;
  mnemonic: string;
  operands: string;
  bytes: number;
}

/** arm-none-eabi-objdump -d of the ELF, by address. */
export function disassemble(elf: Uint8Array, objdump = 'arm-none-eabi-objdump'): Map<number, DisassembledInstruction> {
  const dir = mkdtempSync(join(tmpdir(), 'mote-objdump-'));
  try {
    const path = join(dir, 'firmware.elf');
    writeFileSync(path, elf);
    const run = spawnSync(objdump, ['-d', path], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (run.status !== 0) throw new CycleClassifierError(`${objdump} -d failed: ${(run.stderr || run.error?.message || '').trim()}; install arm-none-eabi-binutils (scripts/install-system-packages.sh)`);
    const byAddress = new Map<number, DisassembledInstruction>();
    for (const line of run.stdout.split('\n')) {
      const m = /^\s*([0-9a-f]+):\t([0-9a-f]{4}(?: [0-9a-f]{4})?)\s*\t(\S+)\s*([^;<]*)/.exec(line);
      if (!m) continue;
      const halfwords = m[2].split(' ').map((h) => parseInt(h, 16));
      byAddress.set(parseInt(m[1], 16), {
        encoding: halfwords.length === 2 ? (halfwords[0] * 0x10000 + halfwords[1]) : halfwords[0],
        mnemonic: m[3], operands: m[4].trim(), bytes: halfwords.length * 2,
      });
    }
    return byAddress;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Throws, listing up to 20 disagreements, unless every executed instruction's class matches objdump. */
export function checkCycleClassifier(elf: Uint8Array, executed: ExecutedInstruction[], what = 'firmware'): { checked: number } {
  if (!executed.length) throw new CycleClassifierError(`${what}: the plugin recorded no executed instructions (run the board with classifiedInstructions)`);
  const listing = disassemble(elf);
  const problems: string[] = [];
  for (const insn of executed) {
    const at = `0x${insn.address.toString(16)}`;
    const d = listing.get(insn.address);
    if (!d) { problems.push(`${at}: executed, but objdump shows no instruction there`); continue; }
    if (d.encoding !== insn.encoding) { problems.push(`${at}: plugin read 0x${insn.encoding.toString(16)}, objdump 0x${d.encoding.toString(16)} (${d.mnemonic})`); continue; }
    const expected = classOfDisassembly(d.mnemonic, d.operands, d.bytes);
    if (expected === undefined) problems.push(`${at}: objdump mnemonic '${d.mnemonic}' is in no class of the check's table`);
    else if (expected !== insn.cls) problems.push(`${at}: '${d.mnemonic} ${d.operands}' classified '${insn.cls}', objdump says '${expected}'`);
  }
  if (problems.length) {
    throw new CycleClassifierError(`${what}: the Cortex-M4 cycle classifier disagrees with arm-none-eabi-objdump on ${problems.length} of ${executed.length} executed instructions:\n  ${problems.slice(0, 20).join('\n  ')}`);
  }
  return { checked: executed.length };
}
