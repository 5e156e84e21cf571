/* Wasm board: bytes come in through mote_rx() from JavaScript, replies go out through the imported
 * env.mote_uart_write; env.mote_micros supplies the clock. No libc: the few string functions generated
 * code may call are defined here. */
#include <stdint.h>
#include <stddef.h>
#include "mote_board.h"
#include "mote_eval.h"

#define IMPORT(name) __attribute__((import_module("env"), import_name(name)))
#define EXPORT(name) __attribute__((export_name(name), used))

IMPORT("mote_uart_write") void host_uart_write(const uint8_t *data, uint32_t length);
IMPORT("mote_micros") uint32_t host_micros(void);

#define RX_CHUNK_BYTES 4096u
static uint8_t rx_chunk[RX_CHUNK_BYTES];
static uint32_t counter_start;

void board_init(void) {}
void board_uart_write(const uint8_t *data, uint32_t length) { host_uart_write(data, length); }
uint8_t board_uart_read_byte(void) { return 0u; } /* unused: JavaScript pushes bytes with mote_rx */
void board_counter_start(void) { counter_start = host_micros(); }
uint32_t board_counter_elapsed(void) { return host_micros() - counter_start; }

EXPORT("mote_rx_chunk") uint8_t *mote_rx_chunk(void) { return rx_chunk; }
EXPORT("mote_rx_chunk_bytes") uint32_t mote_rx_chunk_bytes(void) { return RX_CHUNK_BYTES; }
EXPORT("mote_start") void mote_start(void) { board_init(); mote_eval_init(); }
EXPORT("mote_rx") void mote_rx(uint32_t length) {
  if (length > RX_CHUNK_BYTES) length = RX_CHUNK_BYTES;
  for (uint32_t i = 0; i < length; i++) mote_eval_rx_byte(rx_chunk[i]);
}

__attribute__((no_builtin("memcpy"))) void *memcpy(void *dst, const void *src, size_t n) {
  uint8_t *d = dst; const uint8_t *s = src;
  while (n--) *d++ = *s++;
  return dst;
}
__attribute__((no_builtin("memmove"))) void *memmove(void *dst, const void *src, size_t n) {
  uint8_t *d = dst; const uint8_t *s = src;
  if (d < s) { while (n--) *d++ = *s++; } else { d += n; s += n; while (n--) *--d = *--s; }
  return dst;
}
__attribute__((no_builtin("memset"))) void *memset(void *dst, int value, size_t n) {
  uint8_t *d = dst;
  while (n--) *d++ = (uint8_t)value;
  return dst;
}
__attribute__((no_builtin("memcmp"))) int memcmp(const void *a, const void *b, size_t n) {
  const uint8_t *x = a, *y = b;
  for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
  return 0;
}
__attribute__((no_builtin("strlen"))) size_t strlen(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

/* expf for float32 softmax: e^x = 2^k · e^r with |r| ≤ ln2/2, r's series to degree 7 (error < 1 ulp
 * before the final rounding). Only softmax uses it; argmax-based metrics do not depend on its last bit. */
float expf(float x) {
  if (x != x) return x;
  if (x > 88.72f) return __builtin_inff();
  if (x < -103.97f) return 0.0f;
  const double ln2 = 0.69314718055994530942;
  double k = __builtin_floor((double)x / ln2 + 0.5);
  double r = (double)x - k * ln2;
  double term = 1.0, sum = 1.0;
  for (int i = 1; i <= 9; i++) { term *= r / i; sum += term; }
  union { double d; uint64_t u; } scale = { .u = (uint64_t)((int64_t)k + 1023) << 52 };
  return (float)(sum * scale.d);
}
