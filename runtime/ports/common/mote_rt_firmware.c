/* The Mote Runtime as board firmware: the evaluation loop of firmware-templates/common/mote_protocol_v1.c
 * built loadable (-DMOTE_EVAL_LOADABLE), its model hooks answered by the runtime (runtime/src), and the
 * model-load frames of docs/protocol.md ("Model load"): LOAD_BEGIN, LOAD_CHUNK, LOAD_END, each answered
 * with one LOAD_STATUS. The blob goes into a RAM buffer; nothing runs until the runtime's loader has
 * checked all of it. Each port (runtime/ports/<board>/mote_rt_port.h) sets the capacities and the dialect. */
#include <string.h>
#include "mote_board.h"
#include "mote_eval.h"
#include "mote_runtime.h"
/* mote_rt_port.h (capacities, dialect) is force-included by the image build (-include). */

#define TYPE_LOAD_BEGIN 0x06u
#define TYPE_LOAD_CHUNK 0x07u
#define TYPE_LOAD_END 0x08u
#define TYPE_LOAD_STATUS 0x09u

/* LOAD_STATUS codes beyond the runtime's own (1…8, enum mote_rt_status; detail = byte offset). */
#define LOAD_OK 0u
#define LOAD_NOT_STARTED 16u   /* a chunk or LOAD_END without a LOAD_BEGIN (or after a refusal) */
#define LOAD_BLOB_TOO_LARGE 17u /* LOAD_BEGIN's size exceeds the blob buffer (detail = capacity) */
#define LOAD_BAD_OFFSET 18u    /* a chunk not at the next expected offset (detail = that offset) */
#define LOAD_OVERRUN 19u       /* a chunk beyond the announced size (detail = announced size) */
#define LOAD_INCOMPLETE 20u    /* LOAD_END before every byte arrived (detail = bytes received) */
#define LOAD_WRONG_DIALECT 21u /* packed cortex-m weights for a portable runtime (detail = the blob's packed byte) */
#define LOAD_NOT_ANNOUNCED 22u /* the blob's CRC-32 is not the one LOAD_BEGIN announced (detail = the blob's) */

#define STATUS_BYTES 24u
#define CHUNK_HEADER_BYTES 4u
#define MAX_CHUNK_BYTES (MOTE_RX_BUDGET_BYTES - CHUNK_HEADER_BYTES)

static uint8_t blob[MOTE_RT_BLOB_CAPACITY] __attribute__((aligned(8)));
static uint64_t input_words[(MOTE_RT_IO_BYTES + 7u) / 8u], output_words[(MOTE_RT_IO_BYTES + 7u) / 8u];
static mote_eval_model model;
static int have_model;
static uint32_t last_status;
/* The transfer in progress: announced size and CRC, bytes received so far. */
static int loading;
static uint32_t expected_bytes, expected_crc, received;

static void put_u16(uint8_t *out, uint32_t v) { out[0] = (uint8_t)v; out[1] = (uint8_t)(v >> 8); }
static void put_u32(uint8_t *out, uint32_t v) { put_u16(out, v); put_u16(out + 2, v >> 16); }
static uint32_t get_u16(const uint8_t *in) { return (uint32_t)in[0] | ((uint32_t)in[1] << 8); }
static uint32_t get_u32(const uint8_t *in) { return get_u16(in) | (get_u16(in + 2) << 16); }

const mote_eval_model *mote_eval_model_current(void) { return have_model ? &model : 0; }
uint32_t mote_eval_model_status(void) { return last_status; }
void mote_eval_model_run(void) { mote_rt_run(input_words, output_words); }

static void forget_model(void) {
  have_model = 0;
  mote_rt_unload();
}

static void reply(uint16_t seq, uint32_t status, uint32_t detail) {
  uint8_t out[STATUS_BYTES];
  out[0] = (uint8_t)status;
  out[1] = MOTE_RT_DIALECT_PACKED ? 1u : 0u;
  put_u16(out + 2, MOTE_BLOB_FORMAT_VERSION);
  put_u32(out + 4, received);
  put_u32(out + 8, detail);
  put_u32(out + 12, MOTE_RT_BLOB_CAPACITY);
  put_u32(out + 16, MOTE_RT_ARENA_BYTES);
  put_u16(out + 20, MAX_CHUNK_BYTES > 0xFFFFu ? 0xFFFFu : MAX_CHUNK_BYTES);
  put_u16(out + 22, 0u);
  if (status != LOAD_OK && status != LOAD_BAD_OFFSET) { loading = 0; last_status = status; }
  mote_eval_send(TYPE_LOAD_STATUS, seq, out, STATUS_BYTES);
}

/* What the header alone can refuse, as soon as it is in: not a blob, another version, another dialect,
 * an arena or input/output larger than this board holds. 0 when it passes. */
static uint32_t check_header(uint32_t *detail) {
  if (blob[0] != 'M' || blob[1] != 'O' || blob[2] != 'T' || blob[3] != 'B') { *detail = 0; return MOTE_RT_BAD_MAGIC; }
  if (get_u16(blob + 4) != MOTE_BLOB_FORMAT_VERSION) { *detail = 4; return MOTE_RT_BAD_VERSION; }
  if (blob[14] > 1u || (blob[14] == 1u && !MOTE_RT_DIALECT_PACKED)) { *detail = blob[14]; return LOAD_WRONG_DIALECT; }
  const uint32_t element_bytes = blob[12] / 8u;
  if (element_bytes != 1u && element_bytes != 2u) { *detail = 12; return MOTE_RT_BAD_HEADER; }
  if ((uint64_t)get_u32(blob + 36) * element_bytes > MOTE_RT_ARENA_BYTES) { *detail = 36; return MOTE_RT_TOO_LARGE; }
  /* One input vector must fit one INFER frame in the receive buffer, one output vector one RESULT frame. */
  const uint64_t input_bytes = (uint64_t)get_u32(blob + 40) * element_bytes, output_bytes = (uint64_t)get_u32(blob + 44) * element_bytes;
  if (input_bytes > MOTE_RT_IO_BYTES || input_bytes + 8u > MOTE_RX_BUDGET_BYTES) { *detail = 40; return MOTE_RT_TOO_LARGE; }
  if (output_bytes > MOTE_RT_IO_BYTES || output_bytes + 8u > 0xFFFFu) { *detail = 44; return MOTE_RT_TOO_LARGE; }
  return LOAD_OK;
}

static void load_begin(uint16_t seq, const uint8_t *payload) {
  forget_model(); /* the buffer is about to be overwritten */
  loading = 0;
  received = 0;
  expected_bytes = get_u32(payload);
  expected_crc = get_u32(payload + 4);
  if (expected_bytes > MOTE_RT_BLOB_CAPACITY) { reply(seq, LOAD_BLOB_TOO_LARGE, MOTE_RT_BLOB_CAPACITY); return; }
  if (expected_bytes < MOTE_BLOB_HEADER_BYTES + 4u) { reply(seq, MOTE_RT_TRUNCATED, expected_bytes); return; }
  loading = 1;
  reply(seq, LOAD_OK, 0);
}

static void load_chunk(uint16_t seq, const uint8_t *payload, uint32_t length) {
  if (!loading) { reply(seq, LOAD_NOT_STARTED, 0); return; }
  const uint32_t offset = get_u32(payload), bytes = length - CHUNK_HEADER_BYTES;
  /* A chunk received before (its status was lost and the host re-sent it): acknowledge again. */
  if ((uint64_t)offset + bytes <= received) { reply(seq, LOAD_OK, 0); return; }
  if (offset != received) { reply(seq, LOAD_BAD_OFFSET, received); return; }
  if (bytes > expected_bytes - received) { reply(seq, LOAD_OVERRUN, expected_bytes); return; }
  memcpy(blob + received, payload + CHUNK_HEADER_BYTES, bytes);
  const uint32_t before = received;
  received += bytes;
  if (before < MOTE_BLOB_HEADER_BYTES && received >= MOTE_BLOB_HEADER_BYTES) {
    uint32_t detail = 0;
    const uint32_t status = check_header(&detail);
    if (status != LOAD_OK) { reply(seq, status, detail); return; }
  }
  reply(seq, LOAD_OK, 0);
}

static void load_end(uint16_t seq) {
  if (!loading) { reply(seq, LOAD_NOT_STARTED, 0); return; }
  if (received != expected_bytes) { reply(seq, LOAD_INCOMPLETE, received); return; }
  uint32_t offset = 0;
  const enum mote_rt_status status = mote_rt_load(blob, received, &offset);
  if (status != MOTE_RT_OK) { reply(seq, (uint32_t)status, offset); return; }
  const mote_rt_info *info = mote_rt_model();
  if (info->crc != expected_crc) { mote_rt_unload(); reply(seq, LOAD_NOT_ANNOUNCED, info->crc); return; }
  model.number_format = info->bits;
  model.hash = info->crc;
  model.input_scale = info->input_frac;
  model.output_scale = info->output_frac;
  model.input_dims = info->input_elements;
  model.output_dims = info->output_elements;
  model.input_rank = info->input_rank;
  for (int i = 0; i < 4; i++) model.input_shape[i] = info->input_shape[i];
  model.name_length = info->name_length;
  model.name = info->name;
  model.input = input_words;
  model.output = output_words;
  have_model = 1;
  loading = 0;
  last_status = LOAD_OK;
  reply(seq, LOAD_OK, 0);
}

int mote_eval_extension_length_ok(uint8_t type, uint32_t length) {
  switch (type) {
    case TYPE_LOAD_BEGIN: return length == 8u;
    case TYPE_LOAD_CHUNK: return length > CHUNK_HEADER_BYTES;
    case TYPE_LOAD_END: return length == 0u;
    default: return 1; /* LOAD_STATUS is board → host: answered as an unknown type */
  }
}

void mote_eval_extension_serve(uint8_t type, uint16_t seq, const uint8_t *payload, uint32_t length) {
  switch (type) {
    case TYPE_LOAD_BEGIN: load_begin(seq, payload); break;
    case TYPE_LOAD_CHUNK: load_chunk(seq, payload, length); break;
    case TYPE_LOAD_END: load_end(seq); break;
    default: {
      uint8_t error[6] = { 4u, type, 0u, 0u, 0u, 0u }; /* ERROR 4, unknown frame type */
      mote_eval_send(0x04u, seq, error, 6);
      break;
    }
  }
}
