/* The part of <string.h> the Mote Runtime uses, for the freestanding wasm32 build (no libc there):
 * declarations only; mote_rt_wasm_string.c defines them. */
#ifndef MOTE_RT_WASM_STRING_H
#define MOTE_RT_WASM_STRING_H
#include <stddef.h>
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int value, size_t n);
int memcmp(const void *a, const void *b, size_t n);
#endif
