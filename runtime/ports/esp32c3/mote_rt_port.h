/* The Mote Runtime on an ESP32-C3 devkit (RV32IMC), loaded by the ROM straight into SRAM (Espressif's
 * simple boot: one app image at flash offset 0): board code from firmware-templates/boards/esp32c3
 * (watchdogs off, UART0 + USB-Serial-JTAG, mpccr cycles, link.ld), the portable (c99) dialect. Code takes
 * IRAM; blob, arena, tables, the 8 KiB receive buffer and the stack share the 241 KiB of DRAM below the
 * ROM's reserved top (0x3FCDC710). Force-included into every source of the image
 * (scripts/build-runtime-images.mjs). */
#ifndef MOTE_RT_PORT_H
#define MOTE_RT_PORT_H
#define MOTE_RT_DIALECT_PACKED 0
#define MOTE_RT_BLOB_CAPACITY (128u * 1024u)
#define MOTE_RT_ARENA_BYTES (72u * 1024u)
#define MOTE_RT_IO_BYTES (4u * 1024u)
#define MOTE_RT_MAX_LAYERS 48u
#define MOTE_RT_MAX_TENSORS 64u
#endif
