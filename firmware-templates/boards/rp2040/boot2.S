/* Mote's RP2040 second-stage boot (boot2): the 256 bytes the bootrom copies from flash offset 0 to SRAM
 * 0x20041F00, checks (CRC-32/MPEG-2 of the first 252 bytes against the last word, which Mote writes after
 * linking: src/core/deploy/targets/rp2040/boot2-seal.ts) and enters in Thumb state with LR = 0.
 * It sets the XIP SSI to plain 03h serial reads (works with any flash chip, no QSPI set-up), then, coming
 * from the bootrom (LR = 0), points VTOR at the vector table in flash at 0x10000100 and enters the reset
 * handler with that table's stack pointer; called with LR != 0 it returns.
 * Facts (RP2040 datasheet §2.8.1 boot sequence, §4.10.13 SSI registers; boards-reference.md §2.1-2.2):
 * SSI base 0x18000000: CTRLR0 +0x00, CTRLR1 +0x04, SSIENR +0x08, BAUDR +0x14, SPI_CTRLR0 +0xF4.
 * Position independent (runs from SRAM, literals are PC-relative) and uses the stack only for LR. */
  .syntax unified
  .cpu cortex-m0plus
  .thumb
  .section .boot2, "ax"
  .global mote_boot2
  .type mote_boot2, %function
  .thumb_func
mote_boot2:
  push {lr}
  ldr r3, =0x18000000       /* XIP_SSI */
  movs r0, #0
  str r0, [r3, #0x08]       /* SSIENR = 0: configure while disabled */
  movs r0, #4
  str r0, [r3, #0x14]       /* BAUDR = 4: SCK = clk_sys / 4 (even divisor required) */
  ldr r0, =0x001F0300       /* CTRLR0: standard SPI frames, DFS_32 = 31 (32-bit), TMOD = 3 (EEPROM read) */
  str r0, [r3, #0x00]
  ldr r0, =0x03000218       /* SPI_CTRLR0: XIP command 03h, 8-bit instruction, 24-bit address, 1C1A */
  movs r1, #0xF4
  str r0, [r3, r1]
  movs r0, #0
  str r0, [r3, #0x04]       /* CTRLR1 = 0: one data frame per read */
  movs r0, #1
  str r0, [r3, #0x08]       /* SSIENR = 1 */
  pop {r0}
  cmp r0, #0
  beq enter_application
  bx r0                     /* called as a function: return */
enter_application:
  ldr r0, =0x10000100       /* the application's vector table, right after boot2 */
  ldr r1, =0xE000ED08       /* VTOR */
  str r0, [r1]
  ldmia r0!, {r1, r2}       /* initial SP, reset handler */
  msr msp, r1
  bx r2
  .ltorg
