// A stand-in for the RP2040 bootrom's lookup tables, for rp2040js (which ships no bootrom): only what the
// datasheet documents a program may rely on (§2.8.3 "Bootrom Contents"): the bytes 'M', 'u', 0x01 at 0x10
// (0x13: a version byte), the halfword pointers at 0x14 (public function table), 0x16 (public data table)
// and 0x18 (rom_table_lookup), tables of (two-character code, halfword address) pairs ended by a zero code,
// and rom_table_lookup(table, code) returning the entry's address or 0. rom_table_lookup here is real Thumb
// code (it walks the table the firmware passes it, comparing the code the firmware passes); every function
// entry is a stub that stops the core on a BKPT of its own number, so where the core stops says which one the
// firmware reached. The reset_usb_boot stub ORs its two arguments into r0 first, so the exit code (r0 at the
// BKPT) is 0 exactly when the firmware passed (0, 0). What this is not: the real bootrom. It does not reset
// the chip or show the RPI-RP2 drive; that needs a Pico (README's board table).

/** Thumb encodings (ARMv6-M, ARM DDI 0419), each checked against arm-none-eabi-objdump when written. */
const LDRH_R2_R0_0 = 0x8802; // ldrh r2, [r0, #0]
const LDRH_R0_R0_2 = 0x8840; // ldrh r0, [r0, #2]
const CMP_R2_0 = 0x2a00; // cmp r2, #0
const CMP_R2_R1 = 0x428a; // cmp r2, r1
const ADDS_R0_4 = 0x3004; // adds r0, #4
const MOVS_R0_0 = 0x2000; // movs r0, #0
const BX_LR = 0x4770; // bx lr
const ORRS_R0_R1 = 0x4308; // orrs r0, r1
const bkpt = (n: number) => 0xbe00 | n;
/** Conditional branch (T1): cond 0 = EQ; target = this instruction + 4 + 2·imm8. */
const beq = (from: number, to: number) => 0xd000 | (((to - from - 4) >> 1) & 0xff);
/** Unconditional branch (T2): target = this instruction + 4 + 2·imm11. */
const b = (from: number, to: number) => 0xe000 | (((to - from - 4) >> 1) & 0x7ff);

export const ROM_LOOKUP = 0x0200;
export const FUNCTION_TABLE = 0x0100;
export const DATA_TABLE = 0x0140;
/** Where each stub's BKPT is (what VirtualPico.stoppedAt() reports) and its number. */
export const RESET_USB_BOOT_BKPT = 0x0302;
export const OTHER_FUNCTION_BKPT = 0x0310;
export const DATA_ENTRY_BKPT = 0x0320;

const code = (c1: string, c2: string) => c1.charCodeAt(0) | (c2.charCodeAt(0) << 8);

/** The 16 KiB ROM image as rp2040js's loadBootrom takes it. */
export function tableBootrom(options: { magic?: boolean; withResetUsbBoot?: boolean } = {}): Uint32Array {
  const rom = new Uint8Array(16 * 1024);
  const view = new DataView(rom.buffer);
  const half = (at: number, value: number) => view.setUint16(at, value, true);
  if (options.magic ?? true) rom.set([0x4d, 0x75, 0x01, 0x02], 0x10); // 'M', 'u', 0x01, version 2 (B1)
  half(0x14, FUNCTION_TABLE);
  half(0x16, DATA_TABLE);
  half(0x18, ROM_LOOKUP | 1); // a Thumb function's address has bit 0 set
  // Function table: a popcount and a memcpy entry around reset_usb_boot, as the real table has neighbours.
  const functions: [number, number][] = [[code('P', '3'), OTHER_FUNCTION_BKPT]];
  if (options.withResetUsbBoot ?? true) functions.push([code('U', 'B'), RESET_USB_BOOT_BKPT - 2]);
  functions.push([code('M', 'C'), OTHER_FUNCTION_BKPT]);
  functions.forEach(([c, at], i) => { half(FUNCTION_TABLE + 4 * i, c); half(FUNCTION_TABLE + 4 * i + 2, at | 1); });
  half(FUNCTION_TABLE + 4 * functions.length, 0);
  // Data table: a 'UB' entry too, so a firmware that passed the data table instead would stop elsewhere.
  half(DATA_TABLE, code('U', 'B'));
  half(DATA_TABLE + 2, DATA_ENTRY_BKPT | 1);
  half(DATA_TABLE + 4, 0);
  // rom_table_lookup(r0 = table, r1 = code)
  const L = ROM_LOOKUP;
  const lookup = [
    LDRH_R2_R0_0, //        L+0   loop: ldrh r2, [r0]
    CMP_R2_0, //            L+2         cmp r2, #0
    beq(L + 4, L + 16), //  L+4         beq none
    CMP_R2_R1, //           L+6         cmp r2, r1
    beq(L + 8, L + 20), //  L+8         beq found
    ADDS_R0_4, //           L+10        adds r0, #4
    b(L + 12, L), //        L+12        b loop
    0xbf00, //              L+14        nop
    MOVS_R0_0, //           L+16  none: movs r0, #0
    BX_LR, //               L+18        bx lr
    LDRH_R0_R0_2, //        L+20 found: ldrh r0, [r0, #2]
    BX_LR, //               L+22        bx lr
  ];
  lookup.forEach((op, i) => half(L + 2 * i, op));
  half(RESET_USB_BOOT_BKPT - 2, ORRS_R0_R1);
  half(RESET_USB_BOOT_BKPT, bkpt(0x42));
  half(OTHER_FUNCTION_BKPT, bkpt(0xee));
  half(DATA_ENTRY_BKPT, bkpt(0xda));
  return new Uint32Array(rom.buffer);
}
