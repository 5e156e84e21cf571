/* Layers of a loaded blob, decoded once by the loader (mote_runtime.c) into the structs the kernels read.
 * Layer codes and parameter orders: docs/model-blob.md. */
#ifndef MOTE_RT_LAYERS_H
#define MOTE_RT_LAYERS_H
#include <stdint.h>

enum mote_rt_layer_code {
  RT_CONV = 1, RT_DENSE = 2, RT_BATCH_NORM = 3, RT_RELU = 4, RT_RELU6 = 5, RT_MAX_POOL = 6,
  RT_AVG_POOL = 7, RT_GLOBAL_POOL = 8, RT_ADD = 9, RT_CONCATENATE = 10,
};
#define RT_MAX_INPUTS 16

/* Conv and Dense (a Dense layer is a 1×1 convolution over a 1×1 image of `inputs` channels). */
typedef struct {
  int h, w, cin, oh, ow, filters, kh, kw, sh, sw, ph, pw, groups;
  int activation, shift, packed;
  int64_t addend, limit;
  const void *kernel;  /* number type, filter-major [f][kh][kw][cin/groups]; or packed int32 words */
  const void *bias;    /* accumulator-aligned: int32 (long_width 16/32) or int64 (64); 0 without bias */
} rt_conv;

typedef struct { int positions, channels, shift; int64_t addend; const void *kernel; const void *bias; } rt_batch_norm;
typedef struct { int size; int32_t limit; } rt_clamp;
typedef struct { int w, c, oh, ow, kh, kw, sh, sw; } rt_pool;
typedef struct { int positions, channels, mode, shift; int64_t addend; } rt_global_pool;
typedef struct { int size, n, activation, shift; int64_t limit, addend; int factor_shift[RT_MAX_INPUTS]; } rt_add;
typedef struct { int positions, channels, n; int run_channels[RT_MAX_INPUTS], run_offset[RT_MAX_INPUTS], run_shift[RT_MAX_INPUTS]; int64_t run_addend[RT_MAX_INPUTS]; } rt_concat;

typedef struct {
  uint8_t code, n_inputs;
  uint16_t inputs[RT_MAX_INPUTS];
  uint16_t output;
  union { rt_conv conv; rt_batch_norm bn; rt_clamp clamp; rt_pool pool; rt_global_pool gp; rt_add add; rt_concat cat; } u;
} rt_layer;

/* What every kernel needs to know about the model's numbers. */
typedef struct { int bits, long_width; } rt_numbers;
#endif
