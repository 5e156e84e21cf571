/* The Mote Runtime's wasm32 image: the runtime (runtime/src) with a small host interface instead of a UART.
 * The host (src/core/runtime/wasm-runtime.ts) asks for a blob buffer, writes the blob there, loads it (the
 * runtime's loader checks every bound), then writes each input vector into the input buffer and runs one
 * inference. No imports: the image needs nothing from its host but memory. */
#include <stdint.h>
#include <string.h>
#include "mote_runtime.h"

#define EXPORT(name) __attribute__((export_name(#name)))
#define WASM_PAGE 65536u

extern unsigned char __heap_base;

/* Buffers live above the image's own data, from __heap_base up, growing memory as they need; each load
 * starts again from __heap_base (the previous model is forgotten). */
static uintptr_t heap_end;
static uint8_t *blob_buffer, *input_buffer, *output_buffer;
static uint32_t blob_capacity, input_bytes, output_bytes, bad_offset, inferences;

static uint8_t *reserve(uintptr_t *top, uint32_t bytes) {
  const uintptr_t start = (*top + 7u) & ~(uintptr_t)7u;
  const uint64_t end = (uint64_t)start + bytes;
  const uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * WASM_PAGE;
  if (end > have) {
    const uint64_t pages = (end - have + WASM_PAGE - 1u) / WASM_PAGE;
    if (__builtin_wasm_memory_grow(0, (uintptr_t)pages) == (uintptr_t)-1) return 0;
  }
  *top = (uintptr_t)end;
  return (uint8_t *)start;
}

/* A buffer of `length` bytes, 8-byte aligned, for the next blob; 0 when memory cannot grow that far. */
EXPORT(mote_wasm_blob_buffer) uint8_t *mote_wasm_blob_buffer(uint32_t length) {
  mote_rt_unload();
  input_buffer = output_buffer = 0;
  heap_end = (uintptr_t)&__heap_base;
  blob_buffer = reserve(&heap_end, length);
  blob_capacity = blob_buffer ? length : 0;
  return blob_buffer;
}

/* Loads the blob written into the blob buffer: a mote_rt_status (0 OK); on failure see mote_wasm_bad_offset.
 * 9 (beyond the runtime's statuses): no blob buffer that large, or no memory left for the input/output. */
EXPORT(mote_wasm_load) uint32_t mote_wasm_load(uint32_t length) {
  inferences = 0;
  bad_offset = 0;
  if (!blob_buffer || length > blob_capacity) return 9u;
  const enum mote_rt_status status = mote_rt_load(blob_buffer, length, &bad_offset);
  if (status != MOTE_RT_OK) return (uint32_t)status;
  const mote_rt_info *m = mote_rt_model();
  input_bytes = m->input_elements * m->bits / 8u;
  output_bytes = m->output_elements * m->bits / 8u;
  uintptr_t top = heap_end;
  input_buffer = reserve(&top, input_bytes);
  output_buffer = input_buffer ? reserve(&top, output_bytes) : 0;
  if (!output_buffer) { mote_rt_unload(); return 9u; }
  return 0u;
}

EXPORT(mote_wasm_bad_offset) uint32_t mote_wasm_bad_offset(void) { return bad_offset; }
EXPORT(mote_wasm_input) uint8_t *mote_wasm_input(void) { return input_buffer; }
EXPORT(mote_wasm_input_bytes) uint32_t mote_wasm_input_bytes(void) { return mote_rt_model() ? input_bytes : 0u; }
EXPORT(mote_wasm_output) uint8_t *mote_wasm_output(void) { return output_buffer; }
EXPORT(mote_wasm_output_bytes) uint32_t mote_wasm_output_bytes(void) { return mote_rt_model() ? output_bytes : 0u; }

/* The loaded model's arena in bytes (its RAM) and its CRC-32 (the model hash); 0 without a model. */
EXPORT(mote_wasm_arena_bytes) uint32_t mote_wasm_arena_bytes(void) {
  const mote_rt_info *m = mote_rt_model();
  return m ? m->arena_elements * m->bits / 8u : 0u;
}
EXPORT(mote_wasm_model_crc) uint32_t mote_wasm_model_crc(void) {
  const mote_rt_info *m = mote_rt_model();
  return m ? m->crc : 0u;
}

/* One inference from the input buffer into the output buffer: 0, or 1 when no model is loaded. */
EXPORT(mote_wasm_run) uint32_t mote_wasm_run(void) {
  if (!mote_rt_model()) return 1u;
  mote_rt_run(input_buffer, output_buffer);
  inferences++;
  return 0u;
}

/* Inferences run since the last load. */
EXPORT(mote_wasm_inferences) uint32_t mote_wasm_inferences(void) { return inferences; }

/* The blob format version and the arena capacity this image was built with. */
EXPORT(mote_wasm_format_version) uint32_t mote_wasm_format_version(void) { return MOTE_BLOB_FORMAT_VERSION; }
EXPORT(mote_wasm_arena_capacity) uint32_t mote_wasm_arena_capacity(void) { return MOTE_RT_ARENA_BYTES; }
