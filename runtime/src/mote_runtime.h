/* Mote Runtime: loads a model blob (docs/model-blob.md) into RAM, checks it completely, then interprets it
 * with Mote's fixed-point kernels. The blob is checked once at load time (sizes, CRC, layer codes, weight
 * ranges, arena), so the interpreter itself runs without checks. No heap, no libc beyond <string.h>. */
#ifndef MOTE_RUNTIME_H
#define MOTE_RUNTIME_H
#include <stdint.h>

/* Blob format version this runtime reads (docs/model-blob.md). */
#define MOTE_BLOB_FORMAT_VERSION 1u
#define MOTE_BLOB_HEADER_BYTES 128u

/* Capacities. A board may override them with -D or in its board_config.h (the loader refuses, with
 * MOTE_RT_TOO_LARGE, a blob that needs more). */
#ifndef MOTE_RT_ARENA_BYTES
#define MOTE_RT_ARENA_BYTES (256u * 1024u)
#endif
#ifndef MOTE_RT_MAX_LAYERS
#define MOTE_RT_MAX_LAYERS 128u
#endif
#ifndef MOTE_RT_MAX_TENSORS
#define MOTE_RT_MAX_TENSORS 160u
#endif
/* Zero-filled window of the packed (SIMD) convolution at the borders: same 1 KiB bound as the generator. */
#define MOTE_RT_WINDOW_BYTES 1024u

/* Load results (also the `detail` of protocol ERROR 6, docs/protocol.md). */
enum mote_rt_status {
  MOTE_RT_OK = 0,
  MOTE_RT_TRUNCATED = 1,      /* fewer bytes than the header or the blob_bytes field says */
  MOTE_RT_BAD_MAGIC = 2,      /* not a Mote model blob */
  MOTE_RT_BAD_VERSION = 3,    /* a format version this runtime does not read */
  MOTE_RT_BAD_CRC = 4,        /* the CRC-32 does not match */
  MOTE_RT_BAD_HEADER = 5,     /* number format, accumulator width, shape or section offsets out of range */
  MOTE_RT_UNKNOWN_LAYER = 6,  /* a layer code this runtime does not know */
  MOTE_RT_BAD_LAYER = 7,      /* a layer's parameters, tensors or weight ranges are inconsistent */
  MOTE_RT_TOO_LARGE = 8,      /* the arena, the layer count or the tensor count exceeds this runtime's capacity */
};

typedef struct {
  uint8_t bits;          /* 8 or 16 */
  uint8_t long_width;    /* 16, 32 or 64 */
  uint8_t packed;        /* 1: Conv/Dense weights in the packed SIMD layout */
  uint8_t input_rank;
  uint16_t input_shape[4];
  int8_t input_frac, output_frac;
  uint32_t input_elements, output_elements, arena_elements;
  uint32_t crc;          /* the blob's CRC-32: HELLO reports it as the model hash */
  uint8_t name_length;
  char name[64];
} mote_rt_info;

/* Checks `blob` (4-byte aligned, kept alive and unchanged while the model is in use) and makes it the
 * current model. On failure returns a status, sets *offset to the byte offset of the problem, and leaves
 * no model loaded. */
enum mote_rt_status mote_rt_load(const uint8_t *blob, uint32_t length, uint32_t *offset);
/* The current model, or 0 if none is loaded. */
const mote_rt_info *mote_rt_model(void);
/* One inference: `input` holds input_elements numbers, `output` receives output_elements numbers. */
void mote_rt_run(const void *input, void *output);
/* Forgets the current model. */
void mote_rt_unload(void);
/* CRC-32 (IEEE, as firmware-templates/common/mote_crc32.h). */
uint32_t mote_crc32_update(uint32_t crc, const uint8_t *data, uint32_t length);
#endif
