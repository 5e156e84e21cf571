/* The Mote Runtime on the BBC micro:bit v2 (nRF52833, Cortex-M4F, 64 MHz, 128 KiB RAM): board code from
 * firmware-templates/boards/microbit-v2 (HFXO start, UARTE0 polled with EasyDMA buffers in RAM, P0.06/P1.08
 * to the interface chip's USB serial at 115200 baud, DWT cycles, link.ld), the cortex-m dialect (SMLAD
 * kernels, packed weights). The blob lives in RAM (no flash slot yet): blob + arena + tables + the 8 KiB
 * receive buffer + the input/output vectors + stack inside 128 KiB, sized as the Nucleo's port is.
 * Force-included into every source of the image (scripts/build-runtime-images.mjs). */
#ifndef MOTE_RT_PORT_H
#define MOTE_RT_PORT_H
#define MOTE_RT_DIALECT_PACKED 1
#define MOTE_RT_BLOB_CAPACITY (48u * 1024u)
#define MOTE_RT_ARENA_BYTES (40u * 1024u)
#define MOTE_RT_IO_BYTES (4u * 1024u)
#define MOTE_RT_MAX_LAYERS 48u
#define MOTE_RT_MAX_TENSORS 64u
#endif
