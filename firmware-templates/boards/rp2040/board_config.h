/* Raspberry Pi Pico (RP2040, Cortex-M0+): 125 MHz from the 12 MHz crystal through PLL_SYS, UART0 on
 * GP0 (TX) / GP1 (RX) — the host needs a USB-UART adapter there (e.g. a Raspberry Pi Debug Probe); the
 * Pico's own USB port is the RP2040's USB device, which this firmware does not drive — and SysTick on
 * the processor clock as the cycle counter (the M0+ has no DWT CYCCNT). */
#ifndef BOARD_CONFIG_H
#define BOARD_CONFIG_H
#define BOARD_ID "rp2040"
#define BOARD_CLOCK_HZ 125000000u
#define BOARD_COUNTER_KIND 1u /* core cycles (SysTick, processor clock) */
#define BOARD_COUNTER_TO_US(cycles) ((cycles) / (BOARD_CLOCK_HZ / 1000000u))
#ifndef MOTE_BAUDRATE
#define MOTE_BAUDRATE 115200u
#endif
#ifndef MOTE_RX_BUDGET_BYTES
#define MOTE_RX_BUDGET_BYTES 8192u
#endif
#endif
