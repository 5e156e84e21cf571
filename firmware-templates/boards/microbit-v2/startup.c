/* Reset and vector table for the nRF52833 (same layout as boards/virtual-cortex-m4/startup.c): copy .data,
 * zero .bss, enable the FPU (CPACR CP10/CP11), run main; faults park the core in board_exit. Only the 16
 * core vectors: the runtime polls UARTE0 and enables no peripheral interrupt. */
#include <stdint.h>

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
int main(void);
void board_exit(uint32_t code);
void SysTick_Handler(void);

void Reset_Handler(void) {
  uint32_t *src = &_sidata;
  for (uint32_t *dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  for (uint32_t *dst = &_sbss; dst < &_ebss;) *dst++ = 0u;
#if defined(__ARM_FP)
  *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
  __asm volatile("dsb\n isb");
#endif
  main();
  board_exit(0u);
}

static void Fault_Handler(void) { board_exit(3u); }

__attribute__((section(".isr_vector"), used)) void (*const vector_table[16])(void) = {
  (void (*)(void))(&_estack), Reset_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
  Fault_Handler, 0, 0, 0, 0, Fault_Handler, Fault_Handler, 0, Fault_Handler, SysTick_Handler,
};
