/* The Mote Runtime on QEMU mps2-an386 (Cortex-M4F): board code from firmware-templates/boards/virtual-cortex-m4
 * (startup, CMSDK UART, SysTick counter, link.ld), the cortex-m dialect (SMLAD kernels, packed weights).
 * Capacities sized for the board's 4 MiB of RAM; force-included into every source of the image
 * (scripts/build-runtime-images.mjs). */
#ifndef MOTE_RT_PORT_H
#define MOTE_RT_PORT_H
#define MOTE_RT_DIALECT_PACKED 1
#define MOTE_RT_BLOB_CAPACITY (1024u * 1024u)
#define MOTE_RT_ARENA_BYTES (1024u * 1024u)
#define MOTE_RT_IO_BYTES (64u * 1024u)
/* Frames up to the protocol's largest payload: an input vector of up to 65527 bytes fits one INFER. */
#define MOTE_RX_BUDGET_BYTES 65535u
#endif
