/* Reset for the RV32 boards linked with link.ld: stack and global pointer, copy .data, zero .bss, run
 * main. Any trap (illegal instruction, misaligned or faulting access) ends the emulator through
 * board_exit(3), as a fault does on the Cortex-M boards. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss;
int main(void);
void board_exit(uint32_t code);

__attribute__((noreturn)) void mote_c_start(void) {
  uint32_t *src = &_sidata;
  for (uint32_t *dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  for (uint32_t *dst = &_sbss; dst < &_ebss;) *dst++ = 0u;
  main();
  board_exit(0u);
  for (;;) {}
}

__attribute__((noreturn, used)) void mote_trap(void) {
  board_exit(3u);
  for (;;) {}
}

/* The trap vector must be 4-byte aligned (mtvec direct mode ignores the low two bits). */
__asm__(
  ".section .text.reset, \"ax\"\n"
  ".globl Reset_Handler\n"
  "Reset_Handler:\n"
  "  .option push\n"
  "  .option norelax\n"
  "  la gp, __global_pointer$\n"
  "  .option pop\n"
  "  la sp, _estack\n"
  "  la t0, mote_trap_entry\n"
  "  csrw mtvec, t0\n"
  "  j mote_c_start\n"
  "  .balign 4\n"
  "mote_trap_entry:\n"
  "  j mote_trap\n");
