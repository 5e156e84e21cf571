/* micro:bit v2 board support (nRF52833), registers written directly (no nrfx/HAL). Register offsets and
 * values from Nordic's nRF52833 product specification as summarised in shared boards-reference.md §3:
 * CLOCK at 0x40000000, UARTE0 at 0x40002000 (EasyDMA: the CPU never touches a data register, the
 * peripheral reads and writes RAM buffers), DWT CYCCNT from the ARMv7-M architecture manual. */
#include <stdint.h>
#include "mote_board.h"

#define REG(address) (*(volatile uint32_t *)(address))

/* CLOCK: start the 32 MHz crystal (HFXO) so the UART's baud clock is accurate; the core runs at 64 MHz
 * either way. */
#define CLOCK_BASE 0x40000000u
#define CLOCK_TASKS_HFCLKSTART REG(CLOCK_BASE + 0x000u)
#define CLOCK_EVENTS_HFCLKSTARTED REG(CLOCK_BASE + 0x100u)

/* UARTE0 */
#define UARTE0_BASE 0x40002000u
#define UARTE_TASKS_STARTRX REG(UARTE0_BASE + 0x000u)
#define UARTE_TASKS_STOPRX REG(UARTE0_BASE + 0x004u)
#define UARTE_TASKS_STARTTX REG(UARTE0_BASE + 0x008u)
#define UARTE_EVENTS_ENDRX REG(UARTE0_BASE + 0x110u)
#define UARTE_EVENTS_ENDTX REG(UARTE0_BASE + 0x120u)
#define UARTE_EVENTS_ERROR REG(UARTE0_BASE + 0x124u)
#define UARTE_SHORTS REG(UARTE0_BASE + 0x200u)
#define UARTE_INTENCLR REG(UARTE0_BASE + 0x308u)
#define UARTE_ERRORSRC REG(UARTE0_BASE + 0x480u)
#define UARTE_ENABLE REG(UARTE0_BASE + 0x500u)
#define UARTE_PSEL_RTS REG(UARTE0_BASE + 0x508u)
#define UARTE_PSEL_TXD REG(UARTE0_BASE + 0x50Cu)
#define UARTE_PSEL_CTS REG(UARTE0_BASE + 0x510u)
#define UARTE_PSEL_RXD REG(UARTE0_BASE + 0x514u)
#define UARTE_BAUDRATE REG(UARTE0_BASE + 0x524u)
#define UARTE_RXD_PTR REG(UARTE0_BASE + 0x534u)
#define UARTE_RXD_MAXCNT REG(UARTE0_BASE + 0x538u)
#define UARTE_TXD_PTR REG(UARTE0_BASE + 0x544u)
#define UARTE_TXD_MAXCNT REG(UARTE0_BASE + 0x548u)
#define UARTE_CONFIG REG(UARTE0_BASE + 0x56Cu)
#define UARTE_ENABLE_UARTE 8u
#define PSEL_DISCONNECTED 0xFFFFFFFFu
/* PSEL: PIN[4:0], PORT bit 5. TX P0.06 and RX P1.08 are the lines to the interface chip (CODAL MicroBitIO.h). */
#define PIN_TX 6u
#define PIN_RX ((1u << 5) | 8u)

/* BAUDRATE register values for UARTE (Nordic's UARTE_BAUDRATE_BAUDRATE_* values; not the legacy UART's). */
#if MOTE_BAUDRATE == 9600u
#define UARTE_BAUD_VALUE 0x00275000u
#elif MOTE_BAUDRATE == 19200u
#define UARTE_BAUD_VALUE 0x004EA000u
#elif MOTE_BAUDRATE == 38400u
#define UARTE_BAUD_VALUE 0x009D0000u
#elif MOTE_BAUDRATE == 57600u
#define UARTE_BAUD_VALUE 0x00EB0000u
#elif MOTE_BAUDRATE == 115200u
#define UARTE_BAUD_VALUE 0x01D60000u /* actual 115108 baud */
#elif MOTE_BAUDRATE == 230400u
#define UARTE_BAUD_VALUE 0x03B00000u
#elif MOTE_BAUDRATE == 460800u
#define UARTE_BAUD_VALUE 0x07400000u
#elif MOTE_BAUDRATE == 921600u
#define UARTE_BAUD_VALUE 0x0F000000u
#elif MOTE_BAUDRATE == 1000000u
#define UARTE_BAUD_VALUE 0x10000000u
#else
#error "the micro:bit's UARTE runs at 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600 or 1000000 baud"
#endif

/* DWT / CoreDebug, ARMv7-M architecture manual C1.8 */
#define DEMCR REG(0xE000EDFCu)
#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL REG(0xE0001000u)
#define DWT_CYCCNT REG(0xE0001004u)

/* EasyDMA buffers: must be in RAM (a pointer into flash makes the transfer fail), so never the caller's
 * const data — bytes are copied through tx_buffer. */
#define TX_CHUNK 64u
static uint8_t tx_buffer[TX_CHUNK];
static volatile uint8_t rx_byte;
static uint32_t cycle_start;

static void clock_init(void) {
  CLOCK_EVENTS_HFCLKSTARTED = 0u;
  CLOCK_TASKS_HFCLKSTART = 1u;
  while (CLOCK_EVENTS_HFCLKSTARTED == 0u) {}
}

static void rx_start(void) {
  UARTE_RXD_PTR = (uint32_t)(uintptr_t)&rx_byte;
  UARTE_RXD_MAXCNT = 1u;
  UARTE_TASKS_STARTRX = 1u;
}

static void uart_init(void) {
  UARTE_ENABLE = 0u;
  UARTE_INTENCLR = 0xFFFFFFFFu;
  UARTE_SHORTS = 0u;
  UARTE_PSEL_TXD = PIN_TX;
  UARTE_PSEL_RXD = PIN_RX;
  UARTE_PSEL_RTS = PSEL_DISCONNECTED;
  UARTE_PSEL_CTS = PSEL_DISCONNECTED;
  UARTE_CONFIG = 0u; /* 8N1, no flow control */
  UARTE_BAUDRATE = UARTE_BAUD_VALUE;
  UARTE_ENABLE = UARTE_ENABLE_UARTE;
  UARTE_EVENTS_ENDRX = 0u;
  UARTE_EVENTS_ENDTX = 0u;
  UARTE_EVENTS_ERROR = 0u;
  /* The receiver runs from here on: bytes that arrive between one ENDRX and the next STARTRX wait in the
   * UARTE's RX FIFO rather than being lost. */
  rx_start();
}

void board_init(void) {
  clock_init();
  uart_init();
  DEMCR |= DEMCR_TRCENA;
  DWT_CYCCNT = 0u;
  DWT_CTRL |= 1u; /* CYCCNTENA */
}

void board_uart_write(const uint8_t *data, uint32_t length) {
  while (length > 0u) {
    uint32_t n = length < TX_CHUNK ? length : TX_CHUNK;
    for (uint32_t i = 0; i < n; i++) tx_buffer[i] = data[i];
    UARTE_EVENTS_ENDTX = 0u;
    UARTE_TXD_PTR = (uint32_t)(uintptr_t)tx_buffer;
    UARTE_TXD_MAXCNT = n;
    UARTE_TASKS_STARTTX = 1u;
    while (UARTE_EVENTS_ENDTX == 0u) {}
    data += n;
    length -= n;
  }
}

uint8_t board_uart_read_byte(void) {
  for (;;) {
    /* A framing/overrun error: clear it (write-1-to-clear); the lost byte shows up as a CRC error to the host. */
    if (UARTE_EVENTS_ERROR) {
      UARTE_EVENTS_ERROR = 0u;
      UARTE_ERRORSRC = UARTE_ERRORSRC;
    }
    if (UARTE_EVENTS_ENDRX) {
      UARTE_EVENTS_ENDRX = 0u;
      uint8_t byte = rx_byte;
      rx_start();
      return byte;
    }
  }
}

void board_counter_start(void) { cycle_start = DWT_CYCCNT; }
uint32_t board_counter_elapsed(void) { return DWT_CYCCNT - cycle_start; }

/* No debugger exit on hardware: a fault parks the core (the host then times out). */
void board_exit(uint32_t code) {
  (void)code;
  UARTE_TASKS_STOPRX = 1u;
  for (;;) {}
}

/* SysTick is not used on this board (DWT counts cycles); the vector table still names a handler. */
void SysTick_Handler(void) {}
