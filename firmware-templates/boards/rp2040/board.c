/* RP2040 board support: crystal + PLL_SYS to 125 MHz, clk_peri from clk_sys, UART0 (PL011) on GP0/GP1,
 * SysTick as a wrap-safe cycle counter, and board_exit through BKPT (an attached debugger or the
 * emulator sees the code in r0; on a bare board it halts the core, which is what a dead board should do).
 * Register facts: RP2040 datasheet §2.14 RESETS, §2.16 XOSC, §2.18 PLL, §2.15 CLOCKS, §2.19 IO_BANK0,
 * §4.2 UART (PL011); ARMv6-M SysTick; boards-reference.md §2.4-2.5. Registers have atomic aliases:
 * +0x2000 sets bits, +0x3000 clears them. */
#include <stdint.h>
#include "mote_board.h"

#define REG(address) (*(volatile uint32_t *)(address))
#define CLEAR_ALIAS 0x3000u

#define RESETS_BASE 0x4000C000u
#define RESETS_RESET REG(RESETS_BASE + 0x0u)
#define RESETS_RESET_CLEAR REG(RESETS_BASE + CLEAR_ALIAS + 0x0u)
#define RESETS_RESET_DONE REG(RESETS_BASE + 0x8u)
#define RESET_IO_BANK0 (1u << 5)
#define RESET_PADS_BANK0 (1u << 8)
#define RESET_PLL_SYS (1u << 12)
#define RESET_UART0 (1u << 22)

#define XOSC_BASE 0x40024000u
#define XOSC_CTRL REG(XOSC_BASE + 0x00u)
#define XOSC_STATUS REG(XOSC_BASE + 0x04u)
#define XOSC_STARTUP REG(XOSC_BASE + 0x0Cu)
#define XOSC_FREQ_RANGE_1_15MHZ 0xAA0u
#define XOSC_ENABLE_MAGIC (0xFABu << 12)
#define XOSC_STATUS_STABLE (1u << 31)
#define XOSC_KHZ 12000u

#define CLOCKS_BASE 0x40008000u
#define CLK_REF_CTRL REG(CLOCKS_BASE + 0x30u)
#define CLK_REF_SELECTED REG(CLOCKS_BASE + 0x38u)
#define CLK_SYS_CTRL REG(CLOCKS_BASE + 0x3Cu)
#define CLK_SYS_SELECTED REG(CLOCKS_BASE + 0x44u)
#define CLK_PERI_CTRL REG(CLOCKS_BASE + 0x48u)
#define CLK_REF_SRC_XOSC 0x2u
#define CLK_SYS_SRC_AUX 0x1u
#define CLK_SYS_AUXSRC_PLL_SYS (0x0u << 5)
#define CLK_PERI_ENABLE (1u << 11)
#define CLK_PERI_AUXSRC_CLK_SYS (0x0u << 5)

#define PLL_SYS_BASE 0x40028000u
#define PLL_CS REG(PLL_SYS_BASE + 0x0u)
#define PLL_PWR REG(PLL_SYS_BASE + 0x4u)
#define PLL_FBDIV_INT REG(PLL_SYS_BASE + 0x8u)
#define PLL_PRIM REG(PLL_SYS_BASE + 0xCu)
#define PLL_CS_LOCK (1u << 31)
#define PLL_PWR_PD (1u << 0)
#define PLL_PWR_POSTDIVPD (1u << 3)
#define PLL_PWR_VCOPD (1u << 5)

#define IO_BANK0_BASE 0x40014000u
#define GPIO_CTRL(n) REG(IO_BANK0_BASE + 0x04u + 8u * (n))
#define GPIO_FUNC_UART 2u

#define UART0_BASE 0x40034000u
#define UART_DR REG(UART0_BASE + 0x00u)
#define UART_FR REG(UART0_BASE + 0x18u)
#define UART_IBRD REG(UART0_BASE + 0x24u)
#define UART_FBRD REG(UART0_BASE + 0x28u)
#define UART_LCR_H REG(UART0_BASE + 0x2Cu)
#define UART_CR REG(UART0_BASE + 0x30u)
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)
#define UART_LCR_H_8N1_FIFO ((3u << 5) | (1u << 4))
#define UART_CR_ENABLE ((1u << 0) | (1u << 8) | (1u << 9))

#define SYST_CSR REG(0xE000E010u)
#define SYST_RVR REG(0xE000E014u)
#define SYST_CVR REG(0xE000E018u)
#define SYST_RELOAD 0x00FFFFFFu

/* 64 × the PL011 divisor clk_peri / (16 · baud), rounded: IBRD is its integer part, FBRD its 6-bit fraction. */
#define UART_DIVISOR_X64 ((4u * BOARD_CLOCK_HZ + MOTE_BAUDRATE / 2u) / MOTE_BAUDRATE)

static volatile uint32_t systick_wraps;
static uint32_t start_wraps, start_value;

void SysTick_Handler(void) { systick_wraps++; }

static void unreset(uint32_t blocks) {
  RESETS_RESET_CLEAR = blocks;
  while ((RESETS_RESET_DONE & blocks) != blocks) {}
}

static void clocks_init(void) {
  XOSC_CTRL = XOSC_FREQ_RANGE_1_15MHZ;
  XOSC_STARTUP = (XOSC_KHZ + 128u) / 256u; /* ~1 ms in units of 256 crystal periods */
  XOSC_CTRL = XOSC_FREQ_RANGE_1_15MHZ | XOSC_ENABLE_MAGIC;
  while (!(XOSC_STATUS & XOSC_STATUS_STABLE)) {}
  CLK_REF_CTRL = CLK_REF_SRC_XOSC;
  while (!(CLK_REF_SELECTED & (1u << CLK_REF_SRC_XOSC))) {}
  CLK_SYS_CTRL = 0u; /* clk_sys on clk_ref (glitchless) while the PLL is set up */
  while (!(CLK_SYS_SELECTED & 1u)) {}

  /* PLL_SYS: 12 MHz / REFDIV 1 × FBDIV 125 = VCO 1500 MHz, / POSTDIV1 6 / POSTDIV2 2 = 125 MHz. */
  unreset(RESET_PLL_SYS);
  PLL_CS = 1u;
  PLL_FBDIV_INT = 125u;
  PLL_PWR &= ~(PLL_PWR_PD | PLL_PWR_VCOPD);
  while (!(PLL_CS & PLL_CS_LOCK)) {}
  PLL_PRIM = (6u << 16) | (2u << 12);
  PLL_PWR &= ~PLL_PWR_POSTDIVPD;

  CLK_SYS_CTRL = CLK_SYS_AUXSRC_PLL_SYS;
  CLK_SYS_CTRL = CLK_SYS_AUXSRC_PLL_SYS | CLK_SYS_SRC_AUX;
  while (!(CLK_SYS_SELECTED & (1u << CLK_SYS_SRC_AUX))) {}
  CLK_PERI_CTRL = CLK_PERI_ENABLE | CLK_PERI_AUXSRC_CLK_SYS;
}

void board_init(void) {
  clocks_init();
  unreset(RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_UART0);
  GPIO_CTRL(0) = GPIO_FUNC_UART; /* GP0 = UART0 TX */
  GPIO_CTRL(1) = GPIO_FUNC_UART; /* GP1 = UART0 RX */
  UART_IBRD = UART_DIVISOR_X64 >> 6;
  UART_FBRD = UART_DIVISOR_X64 & 0x3Fu;
  UART_LCR_H = UART_LCR_H_8N1_FIFO; /* written after the divisors: it latches them */
  UART_CR = UART_CR_ENABLE;
  SYST_RVR = SYST_RELOAD;
  SYST_CVR = 0u;
  SYST_CSR = 0x7u; /* processor clock, interrupt on wrap, enabled */
}

void board_uart_write(const uint8_t *data, uint32_t length) {
  for (uint32_t i = 0; i < length; i++) {
    while (UART_FR & UART_FR_TXFF) {}
    UART_DR = data[i];
  }
}

uint8_t board_uart_read_byte(void) {
  while (UART_FR & UART_FR_RXFE) {}
  return (uint8_t)UART_DR;
}

/* Cycles since start, wrap-safe: re-read if a wrap happened between reading the count and the value. */
static uint64_t cycles_now(void) {
  uint32_t wraps, value;
  do { wraps = systick_wraps; value = SYST_CVR; } while (wraps != systick_wraps);
  return ((uint64_t)wraps << 24) + (SYST_RELOAD - value);
}

void board_counter_start(void) {
  uint64_t now = cycles_now();
  start_wraps = (uint32_t)(now >> 24);
  start_value = (uint32_t)(now & SYST_RELOAD);
}

uint32_t board_counter_elapsed(void) {
  uint64_t start = ((uint64_t)start_wraps << 24) + start_value;
  return (uint32_t)(cycles_now() - start);
}

void board_exit(uint32_t code) {
  register uint32_t r0 __asm("r0") = code;
  __asm volatile("bkpt 0x00" : : "r"(r0) : "memory");
  for (;;) {}
}
