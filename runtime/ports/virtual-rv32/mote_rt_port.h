/* The Mote Runtime on QEMU riscv32 virt (rv32imc): board code from firmware-templates/boards/virtual-rv32
 * (startup, 16550 UART, minstret counter, link.ld), the portable (c99) dialect: blobs with packed cortex-m
 * weights are refused. Capacities sized for the board's 4 MiB of RAM; force-included into every source of
 * the image (scripts/build-runtime-images.mjs). */
#ifndef MOTE_RT_PORT_H
#define MOTE_RT_PORT_H
#define MOTE_RT_DIALECT_PACKED 0
#define MOTE_RT_BLOB_CAPACITY (1024u * 1024u)
#define MOTE_RT_ARENA_BYTES (1024u * 1024u)
#define MOTE_RT_IO_BYTES (64u * 1024u)
/* Frames up to the protocol's largest payload: an input vector of up to 65527 bytes fits one INFER. */
#define MOTE_RX_BUDGET_BYTES 65535u
#endif
