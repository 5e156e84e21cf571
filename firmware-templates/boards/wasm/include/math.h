/* Freestanding <math.h> subset for the wasm32 board: clang lowers these builtins to wasm instructions
 * or to its own code, so generated float32 models (softmax) build without a libc. */
#ifndef MOTE_WASM_MATH_H
#define MOTE_WASM_MATH_H
#define fabsf(x) __builtin_fabsf(x)
#define floorf(x) __builtin_floorf(x)
#define ceilf(x) __builtin_ceilf(x)
#define sqrtf(x) __builtin_sqrtf(x)
#define roundf(x) __builtin_roundf(x)
float expf(float x);
#endif
