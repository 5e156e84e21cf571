/* Instantiates the kernels (mote_rt_kernels.inc) for int8 and int16 and runs a loaded model's layers. */
#include "mote_rt_kernels.h"
#include "mote_rt_arith.h"

#define T int8_t
#define BITS 8
#define NAME(x) x##_i8
#include "mote_rt_kernels.inc"
#undef T
#undef BITS
#undef NAME

#define T int16_t
#define BITS 16
#define NAME(x) x##_i16
#include "mote_rt_kernels.inc"
#undef T
#undef BITS
#undef NAME

void mote_rt_run_layer(const rt_layer *layer, const void *const *inputs, void *output, const rt_numbers *numbers) {
  if (numbers->bits == 8) run_layer_i8(layer, (const int8_t *const *)inputs, (int8_t *)output, numbers->long_width);
  else run_layer_i16(layer, (const int16_t *const *)inputs, (int16_t *)output, numbers->long_width);
}
