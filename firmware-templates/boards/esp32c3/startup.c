/* Entry of the ESP32-C3 image (the ESP image header's entry point): the ROM has already copied every
 * segment — code to IRAM, constants and .data to DRAM — so startup only sets sp/gp and the trap vector,
 * zeroes .bss and runs main. A trap parks the core (board_exit). */
#include <stdint.h>

extern uint32_t _sbss, _ebss;
int main(void);
void board_exit(uint32_t code);

__attribute__((noreturn)) void mote_c_start(void) {
  for (uint32_t *dst = &_sbss; dst < &_ebss;) *dst++ = 0u;
  main();
  board_exit(0u);
  for (;;) {}
}

__attribute__((noreturn, used)) void mote_trap(void) {
  board_exit(3u);
  for (;;) {}
}

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
  "  .balign 256\n" /* as ESP-IDF aligns its RISC-V vector table; exceptions enter at the base */
  "mote_trap_entry:\n"
  "  j mote_trap\n");
