/* The fixed-point arithmetic of src/core/layers/shared/fixed-point.ts in C, for both number types, and the
 * Armv7E-M DSP operations of the cortex-m dialect with their portable equivalents (the same integers, as
 * in the generated code's number helpers, src/core/layers/shared/arith-c.ts). */
#ifndef MOTE_RT_ARITH_H
#define MOTE_RT_ARITH_H
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__)
#define RT_INLINE static inline __attribute__((always_inline))
#else
#define RT_INLINE static inline
#endif

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP
#include <arm_acle.h>
#define RT_SMLAD(x, y, acc) __smlad((x), (y), (acc))
#define RT_SMLALD(x, y, acc) __smlald((x), (y), (acc))
#define RT_SXTB16(x) ((int32_t)__sxtb16(x))
static inline int32_t RT_SXTB16_ROR8(int32_t x) {
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
  return r;
}
#define RT_QADD(x, y) __qadd((x), (y))
#define RT_SSAT8(x) __ssat((x), 8)
#define RT_USAT7(x) __usat((x), 7)
#else
static inline int32_t RT_SMLAD(int32_t x, int32_t y, int32_t acc) {
  int32_t lo = (int32_t)(int16_t)(uint16_t)((uint32_t)x & 0xffffu) * (int16_t)(uint16_t)((uint32_t)y & 0xffffu);
  int32_t hi = (int32_t)(int16_t)(uint16_t)((uint32_t)x >> 16) * (int16_t)(uint16_t)((uint32_t)y >> 16);
  return (int32_t)((uint32_t)acc + (uint32_t)lo + (uint32_t)hi);
}
static inline int64_t RT_SMLALD(int32_t x, int32_t y, int64_t acc) {
  int32_t lo = (int32_t)(int16_t)(uint16_t)((uint32_t)x & 0xffffu) * (int16_t)(uint16_t)((uint32_t)y & 0xffffu);
  int32_t hi = (int32_t)(int16_t)(uint16_t)((uint32_t)x >> 16) * (int16_t)(uint16_t)((uint32_t)y >> 16);
  return acc + lo + hi;
}
static inline int32_t RT_SXTB16(int32_t x) {
  uint32_t lo = (uint16_t)(int16_t)(int8_t)(uint8_t)((uint32_t)x & 0xffu);
  uint32_t hi = (uint16_t)(int16_t)(int8_t)(uint8_t)(((uint32_t)x >> 16) & 0xffu);
  return (int32_t)(lo | (hi << 16));
}
static inline int32_t RT_SXTB16_ROR8(int32_t x) { return RT_SXTB16((int32_t)(((uint32_t)x >> 8) | ((uint32_t)x << 24))); }
static inline int32_t RT_QADD(int32_t x, int32_t y) { int64_t s = (int64_t)x + y; return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t)s; }
static inline int32_t RT_SSAT8(int32_t x) { return x < -128 ? -128 : x > 127 ? 127 : x; }
static inline int32_t RT_USAT7(int32_t x) { return x < 0 ? 0 : x > 127 ? 127 : x; }
#endif

/* An exact sum wrapped into the accumulator type (long_width): the C's per-addition wrap-around is modular,
 * so wrapping the exact sum once gives the same value (fixed-point.ts `wrapTo`). */
static inline int64_t rt_wrap(int64_t value, int long_width) {
  if (long_width == 32) return (int32_t)(uint32_t)(uint64_t)value;
  if (long_width == 16) return (int16_t)(uint16_t)(uint64_t)value;
  return value;
}

/* Fused activation: 0 linear, 1 relu, 2 relu6 (clamped at `limit`, 6 in the accumulator's format). */
static inline int64_t rt_activate(int64_t acc, int activation, int64_t limit) {
  if (activation == 0) return acc;
  if (acc < 0) return 0;
  return activation == 2 && acc > limit ? limit : acc;
}

static inline int64_t rt_saturate(int64_t value, int bits) {
  const int64_t max = bits == 8 ? 127 : 32767;
  return value < -max - 1 ? -max - 1 : value > max ? max : value;
}

/* value · 2^-shift: add `addend` (the round mode's), shift right arithmetically, saturate to `bits`. */
static inline int32_t rt_requantize(int64_t value, int shift, int64_t addend, int bits) {
  const int64_t max = bits == 8 ? 127 : 32767;
  if (shift > 0) return (int32_t)rt_saturate((value + addend) >> shift, bits);
  if (shift == 0) return (int32_t)rt_saturate(value, bits);
  if (value > (max >> -shift)) return (int32_t)max;
  if (value < -((max + 1) >> -shift)) return (int32_t)(-max - 1);
  return (int32_t)(value * ((int64_t)1 << -shift));
}

/* The same for a value that fits 32 bits and 0 < shift <= 32 - bits: a saturating 32-bit add differs from
 * the exact sum only past 2^31 - 1, where the shifted result saturates either way (arith-c.ts). */
static inline int32_t rt_requantize32(int32_t value, int shift, int32_t addend, int bits) {
  const int32_t v = RT_QADD(value, addend) >> shift;
  const int32_t max = bits == 8 ? 127 : 32767;
  return v < -max - 1 ? -max - 1 : v > max ? max : v;
}
#endif
