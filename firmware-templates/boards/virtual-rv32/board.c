/* QEMU riscv32 `virt` board support: NS16550A UART at 0x10000000, the minstret counter, and exit through
 * the SiFive test device at 0x00100000 (no semihosting: a firmware cannot reach the host's files).
 * Facts: QEMU hw/riscv/virt.c memory map (UART0 0x10000000, TEST 0x100000); 16550 registers (RBR/THR +0,
 * IER +1, FCR +2, LCR +3, LSR +5 with bit0 data ready and bit5 THR empty); SiFive test finisher
 * (0x5555 = pass, (code << 16) | 0x3333 = fail with code); RISC-V privileged spec (minstret CSR 0xB02). */
#include <stdint.h>
#include "mote_board.h"

#define UART0_BASE 0x10000000u
#define UART_REG(offset) (*(volatile uint8_t *)(UART0_BASE + (offset)))
#define UART_RBR_THR UART_REG(0u)
#define UART_IER UART_REG(1u)
#define UART_FCR UART_REG(2u)
#define UART_LCR UART_REG(3u)
#define UART_LSR UART_REG(5u)
#define UART_LSR_DATA_READY 0x01u
#define UART_LSR_THR_EMPTY 0x20u

#define TEST_FINISHER (*(volatile uint32_t *)0x00100000u)
#define TEST_FINISHER_PASS 0x5555u
#define TEST_FINISHER_FAIL 0x3333u

static uint32_t counter_start;

void board_init(void) {
  UART_IER = 0x00u; /* polled: no interrupts */
  UART_LCR = 0x03u; /* 8 data bits, no parity, 1 stop bit */
  UART_FCR = 0x07u; /* FIFOs on and cleared */
}

void board_uart_write(const uint8_t *data, uint32_t length) {
  for (uint32_t i = 0; i < length; i++) {
    while (!(UART_LSR & UART_LSR_THR_EMPTY)) {}
    UART_RBR_THR = data[i];
  }
}

uint8_t board_uart_read_byte(void) {
  while (!(UART_LSR & UART_LSR_DATA_READY)) {}
  return UART_RBR_THR;
}

static inline uint32_t retired_instructions(void) {
  uint32_t value;
  __asm volatile("csrr %0, minstret" : "=r"(value));
  return value;
}

/* A 32-bit difference is wrap-safe for any inference under 2^32 instructions. */
void board_counter_start(void) { counter_start = retired_instructions(); }
uint32_t board_counter_elapsed(void) { return retired_instructions() - counter_start; }

void board_exit(uint32_t code) {
  TEST_FINISHER = code == 0u ? TEST_FINISHER_PASS : ((code & 0xFFFFu) << 16) | TEST_FINISHER_FAIL;
  for (;;) {}
}
