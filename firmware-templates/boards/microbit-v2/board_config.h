/* BBC micro:bit v2 (nRF52833, Cortex-M4F, 64 MHz): UARTE0 on P0.06 (TX) / P1.08 (RX) to the interface
 * chip's USB serial (DAPLink CDC), 115200 baud by default, DWT cycle counter at the core clock. */
#ifndef BOARD_CONFIG_H
#define BOARD_CONFIG_H
#define BOARD_ID "microbit-v2"
#define BOARD_CLOCK_HZ 64000000u
#define BOARD_COUNTER_KIND 1u /* core cycles */
#define BOARD_COUNTER_TO_US(cycles) ((cycles) / (BOARD_CLOCK_HZ / 1000000u))
#ifndef MOTE_BAUDRATE
#define MOTE_BAUDRATE 115200u /* the DAPLink serial port's usual rate */
#endif
#ifndef MOTE_RX_BUDGET_BYTES
#define MOTE_RX_BUDGET_BYTES 8192u
#endif
#endif
