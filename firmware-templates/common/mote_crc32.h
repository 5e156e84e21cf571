#ifndef MOTE_CRC32_H
#define MOTE_CRC32_H
#include <stdint.h>
/* CRC-32 (IEEE 802.3, reflected 0xEDB88320); pass the previous value to continue, 0 to start. */
uint32_t mote_crc32_update(uint32_t crc, const uint8_t *data, uint32_t length);
#endif
