/* Freestanding <string.h> for the wasm32 board (clang's wasm32 target ships no libc); implemented in
 * boards/wasm/board.c. */
#ifndef MOTE_WASM_STRING_H
#define MOTE_WASM_STRING_H
#include <stddef.h>
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int value, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
#endif
