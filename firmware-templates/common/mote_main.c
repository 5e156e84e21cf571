/* Entry point of the bare-metal boards: bring the board up, greet the host, then serve requests forever. */
#include "mote_board.h"
#include "mote_eval.h"

int main(void) {
  board_init();
  mote_eval_init();
  for (;;) mote_eval_rx_byte(board_uart_read_byte());
}
