/* The Mote Runtime on the ST Nucleo-L452RE-P (STM32L452RE, Cortex-M4F, 80 MHz, 160 KiB SRAM): board code
 * from firmware-templates/boards/nucleo-l452rep (HSI16 + PLL, USART2 to the ST-LINK virtual COM port at
 * 921600 baud, DWT cycles, link.ld), the cortex-m dialect (SMLAD kernels, packed weights). The blob lives
 * in SRAM (no flash slot yet): blob + arena + tables + the 8 KiB receive buffer + stack inside 160 KiB.
 * Force-included into every source of the image (scripts/build-runtime-images.mjs). */
#ifndef MOTE_RT_PORT_H
#define MOTE_RT_PORT_H
#define MOTE_RT_DIALECT_PACKED 1
#define MOTE_RT_BLOB_CAPACITY (72u * 1024u)
#define MOTE_RT_ARENA_BYTES (48u * 1024u)
#define MOTE_RT_IO_BYTES (4u * 1024u)
#define MOTE_RT_MAX_LAYERS 48u
#define MOTE_RT_MAX_TENSORS 64u
#endif
