/* QEMU mps2-an386 (Cortex-M4F, 25 MHz SYSCLK). Run with -icount shift=0: one instruction per virtual
 * nanosecond, so SysTick at 25 MHz advances once per 40 instructions and the counter below reports
 * instructions (exact counts come from tools/qemu/insncount.c). */
#ifndef BOARD_CONFIG_H
#define BOARD_CONFIG_H
#define BOARD_ID "virtual-cortex-m4"
#define BOARD_CLOCK_HZ 25000000u
#define BOARD_COUNTER_KIND 2u /* instructions */
#define BOARD_COUNTER_TO_US(instructions) ((instructions) / 1000u)
#ifndef MOTE_RX_BUDGET_BYTES
#define MOTE_RX_BUDGET_BYTES 8192u
#endif
#endif
