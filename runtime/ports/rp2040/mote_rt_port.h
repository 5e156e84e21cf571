/* The Mote Runtime on the Raspberry Pi Pico (RP2040, Cortex-M0+, 264 KiB SRAM): board code from
 * firmware-templates/boards/rp2040 (boot2, 125 MHz clocks, UART0 on GP0/GP1, SysTick cycles, link.ld), the
 * portable (c99) dialect (the M0+ has no DSP instructions). The blob lives in SRAM (no flash slot yet):
 * capacities below keep blob + arena + tables + the 8 KiB receive buffer + stack inside 264 KiB.
 * Force-included into every source of the image (scripts/build-runtime-images.mjs). */
#ifndef MOTE_RT_PORT_H
#define MOTE_RT_PORT_H
#define MOTE_RT_DIALECT_PACKED 0
#define MOTE_RT_BLOB_CAPACITY (112u * 1024u)
#define MOTE_RT_ARENA_BYTES (80u * 1024u)
#define MOTE_RT_IO_BYTES (4u * 1024u)
#define MOTE_RT_MAX_LAYERS 48u
#define MOTE_RT_MAX_TENSORS 64u
#endif
