/* Nucleo-L452RE-P board support, registers written directly (no HAL). Addresses and bit positions from
 * ST RM0394 (STM32L43x/44x/45x/46x reference manual) and the stm32l452xx.h CMSIS header; see
 * shared boards-reference.md §4 for the summary this follows. */
#include <stdint.h>
#include "mote_board.h"

#define REG(address) (*(volatile uint32_t *)(address))

/* RCC, RM0394 §6.4 */
#define RCC_BASE 0x40021000u
#define RCC_CR REG(RCC_BASE + 0x00u)
#define RCC_CFGR REG(RCC_BASE + 0x08u)
#define RCC_PLLCFGR REG(RCC_BASE + 0x0Cu)
#define RCC_AHB2ENR REG(RCC_BASE + 0x4Cu)
#define RCC_APB1ENR1 REG(RCC_BASE + 0x58u)
#define RCC_CR_HSION (1u << 8)
#define RCC_CR_HSIRDY (1u << 10)
#define RCC_CR_PLLON (1u << 24)
#define RCC_CR_PLLRDY (1u << 25)
#define RCC_PLLCFGR_PLLSRC_HSI16 2u       /* PLLSRC[1:0] */
#define RCC_PLLCFGR_PLLM_SHIFT 4u         /* PLLM[6:4]: divide by value + 1 */
#define RCC_PLLCFGR_PLLN_SHIFT 8u         /* PLLN[14:8]: 8…86 */
#define RCC_PLLCFGR_PLLREN (1u << 24)
#define RCC_PLLCFGR_PLLR_SHIFT 25u        /* PLLR[26:25]: 0 → /2 */
#define RCC_CFGR_SW_PLL 3u
#define RCC_CFGR_SWS_MASK (3u << 2)
#define RCC_CFGR_SWS_PLL (3u << 2)

/* FLASH_ACR, RM0394 §3.7.1: LATENCY[2:0], PRFTEN bit 8, ICEN bit 9, DCEN bit 10. Range 1 wait states:
 * 4 at 80 MHz, 2 at 48 MHz (RM0394 table 9). */
#define FLASH_ACR REG(0x40022000u)
#define FLASH_ACR_PRFTEN (1u << 8)
#define FLASH_ACR_ICEN (1u << 9)
#define FLASH_ACR_DCEN (1u << 10)

/* GPIOA, RM0394 §8.5 */
#define GPIOA_BASE 0x48000000u
#define GPIOA_MODER REG(GPIOA_BASE + 0x00u)
#define GPIOA_AFRL REG(GPIOA_BASE + 0x20u)

/* USART2, RM0394 §38.8 */
#define USART2_BASE 0x40004400u
#define USART2_CR1 REG(USART2_BASE + 0x00u)
#define USART2_BRR REG(USART2_BASE + 0x0Cu)
#define USART2_ISR REG(USART2_BASE + 0x1Cu)
#define USART2_ICR REG(USART2_BASE + 0x20u)
#define USART2_RDR REG(USART2_BASE + 0x24u)
#define USART2_TDR REG(USART2_BASE + 0x28u)
#define USART_CR1_UE (1u << 0)
#define USART_CR1_RE (1u << 2)
#define USART_CR1_TE (1u << 3)
#define USART_ISR_ORE (1u << 3)
#define USART_ISR_RXNE (1u << 5)
#define USART_ISR_TXE (1u << 7)
#define USART_ICR_ORECF (1u << 3)

/* DWT / CoreDebug, ARMv7-M architecture manual C1.8 */
#define DEMCR REG(0xE000EDFCu)
#define DEMCR_TRCENA (1u << 24)
#define DWT_CTRL REG(0xE0001000u)
#define DWT_CYCCNT REG(0xE0001004u)

static uint32_t cycle_start;

static void clock_init(void) {
  RCC_CR |= RCC_CR_HSION;
  while (!(RCC_CR & RCC_CR_HSIRDY)) {}
#ifdef MOTE_CORE_CLOCK_48MHZ
  const uint32_t latency = 2u, plln = 6u;   /* 16 MHz × 6 / 2 = 48 MHz */
#else
  const uint32_t latency = 4u, plln = 10u;  /* 16 MHz × 10 / 2 = 80 MHz (VCO 160 MHz) */
#endif
  FLASH_ACR = (FLASH_ACR & ~7u) | latency | FLASH_ACR_PRFTEN | FLASH_ACR_ICEN | FLASH_ACR_DCEN;
  while ((FLASH_ACR & 7u) != latency) {}
  RCC_CR &= ~RCC_CR_PLLON;
  while (RCC_CR & RCC_CR_PLLRDY) {}
  RCC_PLLCFGR = RCC_PLLCFGR_PLLSRC_HSI16 | (0u << RCC_PLLCFGR_PLLM_SHIFT) | (plln << RCC_PLLCFGR_PLLN_SHIFT) |
                (0u << RCC_PLLCFGR_PLLR_SHIFT) | RCC_PLLCFGR_PLLREN;
  RCC_CR |= RCC_CR_PLLON;
  while (!(RCC_CR & RCC_CR_PLLRDY)) {}
  RCC_CFGR = (RCC_CFGR & ~3u) | RCC_CFGR_SW_PLL;
  while ((RCC_CFGR & RCC_CFGR_SWS_MASK) != RCC_CFGR_SWS_PLL) {}
}

static void uart_init(void) {
  RCC_AHB2ENR |= 1u << 0;   /* GPIOAEN */
  RCC_APB1ENR1 |= 1u << 17; /* USART2EN */
  (void)RCC_APB1ENR1;       /* read back: the clock must be running before the first register access */
  /* PA2/PA3 alternate function (MODER 0b10), AF7 = USART2 */
  GPIOA_MODER = (GPIOA_MODER & ~((3u << 4) | (3u << 6))) | (2u << 4) | (2u << 6);
  GPIOA_AFRL = (GPIOA_AFRL & ~((0xFu << 8) | (0xFu << 12))) | (7u << 8) | (7u << 12);
  USART2_CR1 = 0u;
  /* Oversampling by 16: BRR = f_PCLK1 / baud, rounded (PCLK1 = SYSCLK, APB1 prescaler /1 at reset). */
  USART2_BRR = (BOARD_CLOCK_HZ + MOTE_BAUDRATE / 2u) / MOTE_BAUDRATE;
  USART2_CR1 = USART_CR1_UE | USART_CR1_TE | USART_CR1_RE;
}

void board_init(void) {
  clock_init();
  uart_init();
  DEMCR |= DEMCR_TRCENA;
  DWT_CYCCNT = 0u;
  DWT_CTRL |= 1u; /* CYCCNTENA */
}

void board_uart_write(const uint8_t *data, uint32_t length) {
  for (uint32_t i = 0; i < length; i++) {
    while (!(USART2_ISR & USART_ISR_TXE)) {}
    USART2_TDR = data[i];
  }
}

uint8_t board_uart_read_byte(void) {
  for (;;) {
    uint32_t isr = USART2_ISR;
    /* An overrun stalls reception until cleared; the lost byte shows up as a CRC error to the host. */
    if (isr & USART_ISR_ORE) USART2_ICR = USART_ICR_ORECF;
    if (isr & USART_ISR_RXNE) return (uint8_t)USART2_RDR;
  }
}

void board_counter_start(void) { cycle_start = DWT_CYCCNT; }
uint32_t board_counter_elapsed(void) { return DWT_CYCCNT - cycle_start; }

/* No debugger exit on hardware: a fault parks the core (the host then times out). */
void board_exit(uint32_t code) {
  (void)code;
  for (;;) {}
}

/* SysTick is not used on this board (DWT counts cycles); the vector table still names a handler. */
void SysTick_Handler(void) {}
