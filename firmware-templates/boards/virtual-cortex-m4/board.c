/* QEMU mps2-an386 board support: CMSDK APB UART0 at 0x40004000 (the evaluation protocol), SysTick, and
 * exit through UART1 at 0x40005000 plus a system reset (no semihosting: a firmware cannot reach the host).
 * Register facts: ARM CMSDK APB UART (DATA +0x00, STATE +0x04 bit0 TX full / bit1 RX full, CTRL +0x08
 * bit0 TX enable / bit1 RX enable, BAUDDIV +0x10 ≥ 16); QEMU hw/arm/mps2.c (AN385/AN386 UARTn at
 * 0x40004000 + n * 0x1000 for n < 4); SysTick and AIRCR (0xE000ED0C, VECTKEY 0x05FA, SYSRESETREQ bit 2)
 * in the ARMv7-M architecture manual. */
#include <stdint.h>
#include "mote_board.h"

#define UART0_BASE 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x04u))
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x08u))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x10u))
#define UART_STATE_TX_FULL 0x1u

#define UART1_BASE 0x40005000u
#define UART1_DATA (*(volatile uint32_t *)(UART1_BASE + 0x00u))
#define UART1_STATE (*(volatile uint32_t *)(UART1_BASE + 0x04u))
#define UART1_CTRL (*(volatile uint32_t *)(UART1_BASE + 0x08u))
#define UART1_BAUDDIV (*(volatile uint32_t *)(UART1_BASE + 0x10u))
#define SCB_AIRCR (*(volatile uint32_t *)0xE000ED0Cu)
#define AIRCR_SYSRESETREQ 0x05FA0004u
#define UART_STATE_RX_FULL 0x2u

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_RELOAD 0x00FFFFFFu

static volatile uint32_t systick_wraps;
static uint32_t start_wraps, start_value;

void SysTick_Handler(void) { systick_wraps++; }

void board_init(void) {
  UART_BAUDDIV = 16u; /* the emulator ignores the rate, but 16 is the smallest legal divisor */
  UART_CTRL = 0x3u;
  SYST_RVR = SYST_RELOAD;
  SYST_CVR = 0u;
  SYST_CSR = 0x7u; /* processor clock, interrupt on wrap, enabled */
}

void board_uart_write(const uint8_t *data, uint32_t length) {
  for (uint32_t i = 0; i < length; i++) {
    while (UART_STATE & UART_STATE_TX_FULL) {}
    UART_DATA = data[i];
  }
}

uint8_t board_uart_read_byte(void) {
  while (!(UART_STATE & UART_STATE_RX_FULL)) {}
  return (uint8_t)UART_DATA;
}

/* Ticks since start, wrap-safe: re-read if a wrap happened between reading the count and the value. */
static uint64_t ticks_now(void) {
  uint32_t wraps, value;
  do { wraps = systick_wraps; value = SYST_CVR; } while (wraps != systick_wraps);
  return ((uint64_t)wraps << 24) + (SYST_RELOAD - value);
}

void board_counter_start(void) {
  uint64_t now = ticks_now();
  start_wraps = (uint32_t)(now >> 24);
  start_value = (uint32_t)(now & SYST_RELOAD);
}

uint32_t board_counter_elapsed(void) {
  uint64_t start = ((uint64_t)start_wraps << 24) + start_value;
  uint64_t ticks = ticks_now() - start;
  return (uint32_t)(ticks * (1000000000u / BOARD_CLOCK_HZ)); /* 40 instructions per tick under icount */
}

static void exit_uart_put(uint8_t byte) {
  while (UART1_STATE & UART_STATE_TX_FULL) {}
  UART1_DATA = byte;
}

/* The host reads UART1 (QEMU's stdout) for `mote-exit <code>` and stops the emulator; the reset request
 * ends QEMU by itself too (-no-reboot), so a crashed firmware never hangs the evaluation. */
void board_exit(uint32_t code) {
  static const char marker[] = "\nmote-exit ";
  char digits[10];
  int n = 0;
  UART1_BAUDDIV = 16u;
  UART1_CTRL = 0x1u;
  for (const char *p = marker; *p; p++) exit_uart_put((uint8_t)*p);
  do { digits[n++] = (char)('0' + code % 10u); code /= 10u; } while (code && n < 10);
  while (n) exit_uart_put((uint8_t)digits[--n]);
  exit_uart_put('\n');
  __asm volatile("dsb" ::: "memory");
  SCB_AIRCR = AIRCR_SYSRESETREQ;
  __asm volatile("dsb" ::: "memory");
  for (;;) {}
}
