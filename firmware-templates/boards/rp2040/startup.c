/* Reset and vector table for the RP2040 (Cortex-M0+), placed at 0x10000100 where boot2 points VTOR:
 * copy .data, zero .bss, run main. The M0+ has no FPU to enable. Faults end the board through
 * board_exit(3). */
#include <stdint.h>

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
int main(void);
void board_exit(uint32_t code);
void SysTick_Handler(void);

void Reset_Handler(void) {
  uint32_t *src = &_sidata;
  for (uint32_t *dst = &_sdata; dst < &_edata;) *dst++ = *src++;
  for (uint32_t *dst = &_sbss; dst < &_ebss;) *dst++ = 0u;
  main();
  board_exit(0u);
}

static void Fault_Handler(void) { board_exit(3u); }

/* ARMv6-M: NMI, HardFault, then SVCall at 11, PendSV at 14, SysTick at 15 (no MemManage/BusFault/UsageFault). */
__attribute__((section(".isr_vector"), used)) void (*const vector_table[16])(void) = {
  (void (*)(void))(&_estack), Reset_Handler, Fault_Handler, Fault_Handler, 0, 0,
  0, 0, 0, 0, 0, Fault_Handler, 0, 0, Fault_Handler, SysTick_Handler,
};
