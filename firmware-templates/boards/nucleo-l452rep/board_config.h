/* ST Nucleo-L452RE-P (STM32L452RE, Cortex-M4F): 80 MHz from HSI16 + PLL (48 MHz with
 * -DMOTE_CORE_CLOCK_48MHZ, Qualia's core_clock_48mhz), USART2 on PA2/PA3 to the ST-LINK virtual COM port,
 * DWT cycle counter. */
#ifndef BOARD_CONFIG_H
#define BOARD_CONFIG_H
#define BOARD_ID "nucleo-l452rep"
#ifdef MOTE_CORE_CLOCK_48MHZ
#define BOARD_CLOCK_HZ 48000000u
#else
#define BOARD_CLOCK_HZ 80000000u
#endif
#define BOARD_COUNTER_KIND 1u /* core cycles */
#define BOARD_COUNTER_TO_US(cycles) ((cycles) / (BOARD_CLOCK_HZ / 1000000u))
#ifndef MOTE_BAUDRATE
#define MOTE_BAUDRATE 921600u /* Qualia's evaluator default */
#endif
#ifndef MOTE_RX_BUDGET_BYTES
#define MOTE_RX_BUDGET_BYTES 8192u
#endif
#endif
