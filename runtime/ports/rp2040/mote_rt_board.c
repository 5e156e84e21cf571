/* The Pico's two transports for the one evaluation loop: UART0 on GP0/GP1 (firmware-templates/boards/rp2040/
 * board.c, unchanged) and Mote's CDC-ACM device on the RP2040's own USB port (mote_rt_usb.c). The image is
 * linked with --wrap=board_init,--wrap=board_uart_read_byte,--wrap=board_uart_write
 * (scripts/build-runtime-images.mjs), so the evaluation loop's calls land here and the template's own
 * functions are reached as __real_*. A request is answered on the transport it came in on: the loop reads
 * one byte at a time from whichever has one, and replies go where the last byte came from. */
#include <stdint.h>
#include "mote_rt_usb.h"

void __real_board_init(void);
uint8_t __real_board_uart_read_byte(void);
void __real_board_uart_write(const uint8_t *data, uint32_t length);

#define UART0_FR (*(volatile uint32_t *)0x40034018u) /* PL011 flags register (RP2040 datasheet §4.2.8) */
#define UART_FR_RXFE (1u << 4)

static int replies_over_usb;

void __wrap_board_init(void) {
  __real_board_init(); /* clocks (125 MHz from PLL_SYS), UART0, SysTick */
  mote_usb_init();
}

/* USB's ring first, then UART0's FIFO: UART0's flags are read only while no USB byte waits, so a run of
 * empty-FIFO reads means both transports are idle (what rp2040js-board.ts takes for "waiting for input"). */
uint8_t __wrap_board_uart_read_byte(void) {
  for (;;) {
    uint8_t byte;
    if (mote_usb_read_byte(&byte)) { replies_over_usb = 1; return byte; }
    if (!(UART0_FR & UART_FR_RXFE)) { replies_over_usb = 0; return __real_board_uart_read_byte(); }
  }
}

void __wrap_board_uart_write(const uint8_t *data, uint32_t length) {
  if (replies_over_usb && mote_usb_configured()) mote_usb_write(data, length);
  else __real_board_uart_write(data, length);
}
