/* The zero-install virtual board: the evaluation loop compiled to wasm32 and driven from JavaScript
 * (src/core/deploy/targets/wasm-board.ts). The counter is host wall time in microseconds. */
#ifndef BOARD_CONFIG_H
#define BOARD_CONFIG_H
#define BOARD_ID "wasm32"
#define BOARD_CLOCK_HZ 0u
#define BOARD_COUNTER_KIND 3u /* microseconds */
#define BOARD_COUNTER_TO_US(us) (us)
#ifndef MOTE_RX_BUDGET_BYTES
#define MOTE_RX_BUDGET_BYTES 60000u
#endif
#endif
