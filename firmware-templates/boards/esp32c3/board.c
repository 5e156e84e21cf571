/* ESP32-C3 board support, bare metal (no ESP-IDF): watchdogs off, UART0 and USB-Serial-JTAG, the vendor
 * cycle counter. Register facts (esp-idf soc/esp32c3 register headers, esptool targets/esp32c3.py;
 * boards-reference.md §1.7-1.9):
 *   RTC_CNTL 0x60008000: WDTCONFIG0 +0x90, WDTWPROTECT +0xA8 (key 0x50D83AA1), SWD_CONF +0xAC (bit31
 *   auto-feed), SWD_WPROTECT +0xB0 (key 0x8F1D312A). TIMG0 0x6001F000 / TIMG1 0x60020000: WDTCONFIG0
 *   +0x48 (bit22 CONF_UPDATE_EN latches a change), WDTWPROTECT +0x64 (key 0x50D83AA1).
 *   UART0 0x60000000: FIFO +0x00, STATUS +0x1C (RXFIFO_CNT [9:0], TXFIFO_CNT [25:16], FIFO of 128); the ROM
 *   leaves it at 115200 8N1. USB_SERIAL_JTAG 0x60043000: EP1 +0x00 (byte FIFO), EP1_CONF +0x04 (bit0
 *   WR_DONE, bit1 IN_EP_DATA_FREE, bit2 OUT_EP_DATA_AVAIL).
 *   Performance counter CSRs: mpcer 0x7E0 (1 = count cycles), mpcmr 0x7E1 (1 = enable), mpccr 0x7E2.
 * Not verified on a board here (README board table). */
#include <stdint.h>
#include "mote_board.h"

#define REG(address) (*(volatile uint32_t *)(address))
#define WDT_KEY 0x50D83AA1u

#define RTC_CNTL_BASE 0x60008000u
#define RTC_WDTCONFIG0 REG(RTC_CNTL_BASE + 0x90u)
#define RTC_WDTWPROTECT REG(RTC_CNTL_BASE + 0xA8u)
#define RTC_SWD_CONF REG(RTC_CNTL_BASE + 0xACu)
#define RTC_SWD_WPROTECT REG(RTC_CNTL_BASE + 0xB0u)
#define SWD_KEY 0x8F1D312Au
#define SWD_AUTO_FEED (1u << 31)

#define TIMG0_BASE 0x6001F000u
#define TIMG1_BASE 0x60020000u
#define TIMG_WDTCONFIG0(base) REG((base) + 0x48u)
#define TIMG_WDTWPROTECT(base) REG((base) + 0x64u)
#define TIMG_WDT_CONF_UPDATE (1u << 22)

#define UART0_BASE 0x60000000u
#define UART_FIFO REG(UART0_BASE + 0x00u)
#define UART_STATUS REG(UART0_BASE + 0x1Cu)
#define UART_RX_COUNT() (UART_STATUS & 0x3FFu)
#define UART_TX_COUNT() ((UART_STATUS >> 16) & 0x3FFu)
#define UART_TX_FIFO_BYTES 128u

#define USJ_BASE 0x60043000u
#define USJ_EP1 REG(USJ_BASE + 0x00u)
#define USJ_EP1_CONF REG(USJ_BASE + 0x04u)
#define USJ_WR_DONE (1u << 0)
#define USJ_IN_FREE (1u << 1)
#define USJ_OUT_AVAIL (1u << 2)
#define USJ_WRITE_POLLS 100000u

/* Replies go to UART0 always, and to USB-Serial-JTAG once the host has spoken there: with no host reading
 * the USB port its FIFO never drains, so writing to it unconditionally would stall the board. */
static uint8_t usb_host_seen;
static uint32_t counter_start;

static void timg_wdt_off(uint32_t base) {
  TIMG_WDTWPROTECT(base) = WDT_KEY;
  TIMG_WDTCONFIG0(base) = 0u;
  TIMG_WDTCONFIG0(base) = TIMG_WDT_CONF_UPDATE;
  TIMG_WDTWPROTECT(base) = 0u;
}

void board_init(void) {
  RTC_WDTWPROTECT = WDT_KEY;
  RTC_WDTCONFIG0 = 0u;
  RTC_WDTWPROTECT = 0u;
  RTC_SWD_WPROTECT = SWD_KEY;
  RTC_SWD_CONF |= SWD_AUTO_FEED;
  RTC_SWD_WPROTECT = 0u;
  timg_wdt_off(TIMG0_BASE);
  timg_wdt_off(TIMG1_BASE);
  __asm volatile("csrw 0x7e0, %0\n csrw 0x7e1, %0" : : "r"(1u));
}

static void usb_write(const uint8_t *data, uint32_t length) {
  for (uint32_t i = 0; i < length; i++) {
    uint32_t polls = 0;
    while (!(USJ_EP1_CONF & USJ_IN_FREE)) {
      if (++polls == USJ_WRITE_POLLS) { usb_host_seen = 0u; return; } /* host went away: stop using USB */
    }
    USJ_EP1 = data[i];
  }
  USJ_EP1_CONF = USJ_WR_DONE;
}

void board_uart_write(const uint8_t *data, uint32_t length) {
  for (uint32_t i = 0; i < length; i++) {
    while (UART_TX_COUNT() >= UART_TX_FIFO_BYTES - 1u) {}
    UART_FIFO = data[i];
  }
  if (usb_host_seen) usb_write(data, length);
}

uint8_t board_uart_read_byte(void) {
  for (;;) {
    if (UART_RX_COUNT() != 0u) return (uint8_t)UART_FIFO;
    if (USJ_EP1_CONF & USJ_OUT_AVAIL) { usb_host_seen = 1u; return (uint8_t)USJ_EP1; }
  }
}

static inline uint32_t cycles_now(void) {
  uint32_t value;
  __asm volatile("csrr %0, 0x7e2" : "=r"(value));
  return value;
}

/* The counter is 32 bits: a difference is wrap-safe for inferences under 2^32 cycles. */
void board_counter_start(void) { counter_start = cycles_now(); }
uint32_t board_counter_elapsed(void) { return cycles_now() - counter_start; }

/* No host to exit to: park the core (the evaluator notices the silence). */
void board_exit(uint32_t code) {
  (void)code;
  for (;;) __asm volatile("wfi");
}
