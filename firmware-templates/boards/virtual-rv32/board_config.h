/* QEMU riscv32 `virt` (RV32, run as rv32imc code). Run with -icount shift=0: minstret then advances
 * exactly once per retired instruction, so the counter below reports instructions. The clock is nominal
 * (the virt machine has none); latency is not reported for this board. */
#ifndef BOARD_CONFIG_H
#define BOARD_CONFIG_H
#define BOARD_ID "virtual-rv32"
#define BOARD_CLOCK_HZ 1000000000u /* -icount shift=0: one instruction per virtual nanosecond */
#define BOARD_COUNTER_KIND 2u /* instructions (minstret) */
#define BOARD_COUNTER_TO_US(instructions) ((instructions) / 1000u)
#ifndef MOTE_RX_BUDGET_BYTES
#define MOTE_RX_BUDGET_BYTES 8192u
#endif
#endif
