// RP2040 addresses Mote's Pico support relies on (RP2040 datasheet §2.2 address map, §2.8.1 boot).
export const RP2040_FLASH_START = 0x10000000;
/** The RP2040 decodes up to 16 MiB of XIP flash; the Pico carries 2 MiB. */
export const RP2040_MAX_FLASH_BYTES = 16 * 1024 * 1024;
export const PICO_FLASH_BYTES = 2 * 1024 * 1024;
export const RP2040_SRAM_START = 0x20000000;
export const RP2040_SRAM_BYTES = 264 * 1024;
/** Where the bootrom copies boot2 (the last 256 bytes of SRAM) and enters it. */
export const BOOT2_SRAM_ADDRESS = 0x20041f00;
