/* What the evaluation loop needs from a board. Each boards/<name>/ directory provides board.c and a
 * board_config.h defining BOARD_ID, BOARD_CLOCK_HZ, BOARD_COUNTER_KIND, BOARD_COUNTER_TO_US(x) and
 * MOTE_RX_BUDGET_BYTES (receive buffer for INFER payloads). */
#ifndef MOTE_BOARD_H
#define MOTE_BOARD_H
#include <stdint.h>
#include "board_config.h"

/* Counter kinds, as in docs/protocol.md (HELLO counter_kind). */
#define MOTE_COUNTER_NONE 0u
#define MOTE_COUNTER_CYCLES 1u
#define MOTE_COUNTER_INSTRUCTIONS 2u
#define MOTE_COUNTER_MICROSECONDS 3u

void board_init(void);
void board_uart_write(const uint8_t *data, uint32_t length);
/* Starts the per-inference counter; board_counter_elapsed() returns its value in BOARD_COUNTER_KIND units. */
void board_counter_start(void);
uint32_t board_counter_elapsed(void);



/* Bare-metal boards only (mote_main.c): blocking read of one received byte. */
uint8_t board_uart_read_byte(void);
#endif
