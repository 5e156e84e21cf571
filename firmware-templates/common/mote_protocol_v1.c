/* Mote evaluation protocol v1, board side (docs/protocol.md; host side src/core/evaluation/protocol-v1.ts).
 * Frames: A5 D3 | length u16 | type u8 | seq u16 | payload | CRC-32 (over length … payload), little-endian.
 * Two builds of one loop: the generated-C route (the model of model.h, compiled in), and -DMOTE_EVAL_LOADABLE,
 * where the model is supplied at run time through mote_eval.h's hooks (the Mote Runtime's firmware,
 * runtime/ports/common/mote_rt_firmware.c, which also serves the model-load frames). */
#ifndef MOTE_PROTOCOL_QUALIA
#include <string.h>
#include "mote_board.h"
#include "mote_crc32.h"
#include "mote_eval.h"

#define SYNC0 0xA5u
#define SYNC1 0xD3u
#define TYPE_HELLO 0x01u
#define TYPE_INFER 0x02u
#define TYPE_RESULT 0x03u
#define TYPE_ERROR 0x04u
#define TYPE_HELLO_REQUEST 0x05u
#define ERR_BAD_CRC 1u
#define ERR_BAD_LENGTH 2u
#define ERR_BATCH_TOO_LARGE 3u
#define ERR_UNKNOWN_TYPE 4u
#define ERR_FRAME_TOO_LARGE 5u
#define ERR_NO_MODEL 6u
#define INFER_HEADER_BYTES 8u

#ifndef MOTE_RX_BUDGET_BYTES
#define MOTE_RX_BUDGET_BYTES 16384u
#endif
/* Vectors per INFER: as many as the receive budget holds, at least one, at most 255. */
#define MOTE_BATCH_FIT(input_bytes) ((MOTE_RX_BUDGET_BYTES - INFER_HEADER_BYTES) / (input_bytes))
#define MOTE_BATCH_CLAMP(fit) ((fit) < 1u ? 1u : ((fit) > 255u ? 255u : (fit)))

#ifdef MOTE_EVAL_LOADABLE
/* Protocol 2 = protocol 1 plus the model-load frames (docs/protocol.md); every v1 frame is unchanged. */
#define PROTOCOL_VERSION 2u
#define LAST_TYPE MOTE_EVAL_LAST_TYPE
#define MODEL (mote_eval_model_current())
#define EVAL_INPUT_BYTES (MODEL ? MODEL->input_dims * (MODEL->number_format / 8u) : 0u)
#define EVAL_OUTPUT_BYTES (MODEL->output_dims * (MODEL->number_format / 8u))
#define MOTE_MAX_BATCH (MODEL ? MOTE_BATCH_CLAMP(MOTE_BATCH_FIT(EVAL_INPUT_BYTES)) : 1u)
/* The receive buffer serves INFER and the extension's frames alike. */
#define MOTE_RX_PAYLOAD_MAX MOTE_RX_BUDGET_BYTES
#define EVAL_INPUT_BUFFER (MODEL->input)
#define EVAL_OUTPUT_BUFFER (MODEL->output)
#define EVAL_RUN() mote_eval_model_run()
#else
#include "mote_model.h"
#define PROTOCOL_VERSION 1u
#define LAST_TYPE TYPE_HELLO_REQUEST
#define EVAL_INPUT_BYTES MOTE_INPUT_BYTES
#define EVAL_OUTPUT_BYTES MOTE_OUTPUT_BYTES
#define MOTE_MAX_BATCH MOTE_BATCH_CLAMP(MOTE_BATCH_FIT(MOTE_INPUT_BYTES))
#define MOTE_RX_PAYLOAD_MAX (INFER_HEADER_BYTES + MOTE_MAX_BATCH * MOTE_INPUT_BYTES)
static input_t input_buffer;
static output_t output_buffer;
#define EVAL_INPUT_BUFFER (input_buffer)
#define EVAL_OUTPUT_BUFFER (output_buffer)
#define EVAL_RUN() MODEL_ENTRY(input_buffer, output_buffer)

static const uint16_t input_shape[] = {
  MODEL_INPUT_DIM_0,
#if MODEL_INPUT_RANK > 1
  MODEL_INPUT_DIM_1,
#endif
#if MODEL_INPUT_RANK > 2
  MODEL_INPUT_DIM_2,
#endif
#if MODEL_INPUT_RANK > 3
  MODEL_INPUT_DIM_3,
#endif
};
#if MODEL_INPUT_RANK > 4
#error "the evaluation template reports input shapes of rank 4 at most"
#endif
#endif

/* 4-byte aligned: the extension may hand payload words to its handlers. */
static uint8_t rx_payload[MOTE_RX_PAYLOAD_MAX] __attribute__((aligned(4)));

enum rx_state { WAIT_SYNC0, WAIT_SYNC1, HEADER, PAYLOAD, CRC };
static enum rx_state state = WAIT_SYNC0;
static uint8_t header[5];
static uint32_t header_fill, payload_length, payload_fill, crc_fill, received_crc;
static uint8_t frame_type;
static uint16_t frame_seq;
static uint32_t tx_crc;

static void put_u16(uint8_t *out, uint32_t v) { out[0] = (uint8_t)v; out[1] = (uint8_t)(v >> 8); }
static void put_u32(uint8_t *out, uint32_t v) { put_u16(out, v); put_u16(out + 2, v >> 16); }
static uint32_t get_u32(const uint8_t *in) { return in[0] | (in[1] << 8) | ((uint32_t)in[2] << 16) | ((uint32_t)in[3] << 24); }

/* Frames are streamed out piecewise, the CRC running alongside, so no transmit buffer is needed. */
static void frame_begin(uint8_t type, uint16_t seq, uint32_t length) {
  uint8_t head[7] = { SYNC0, SYNC1, 0, 0, type, 0, 0 };
  put_u16(head + 2, length);
  put_u16(head + 5, seq);
  board_uart_write(head, 7);
  tx_crc = mote_crc32_update(0, head + 2, 5);
}

static void frame_write(const void *data, uint32_t length) {
  board_uart_write((const uint8_t *)data, length);
  tx_crc = mote_crc32_update(tx_crc, (const uint8_t *)data, length);
}

static void frame_end(void) {
  uint8_t tail[4];
  put_u32(tail, tx_crc);
  board_uart_write(tail, 4);
}

static void send_hello(uint16_t seq) {
  static const char board_id[] = BOARD_ID;
  uint32_t board_length = sizeof(board_id) - 1u > 255u ? 255u : sizeof(board_id) - 1u;
  uint8_t fixed[25];
#ifdef MOTE_EVAL_LOADABLE
  /* Without a model: number format 8, hash 0, no input, an empty name (the host loads one first). */
  static const mote_eval_model none = { 8u, 0u, 0, 0, 0u, 0u, 0u, { 0u, 0u, 0u, 0u }, 0u, "", 0, 0 };
  const mote_eval_model *m = MODEL ? MODEL : &none;
  const char *model_name = m->name;
  uint32_t name_length = m->name_length;
  const uint32_t rank = m->input_rank;
  const uint16_t *input_shape = m->input_shape;
  fixed[1] = 1u; /* the runtime's input/output memory is that of generated-code ABI v1 */
  fixed[2] = m->number_format;
  put_u32(fixed + 4, m->hash);
  fixed[12] = (uint8_t)m->input_scale;
  fixed[13] = (uint8_t)m->output_scale;
  put_u32(fixed + 16, m->input_dims);
  put_u32(fixed + 20, m->output_dims);
#else
  static const char model_name[] = MODEL_NAME_STRING;
  uint32_t name_length = sizeof(model_name) - 1u > 255u ? 255u : sizeof(model_name) - 1u;
  const uint32_t rank = MODEL_INPUT_RANK;
  fixed[1] = MOTE_MODEL_ABI_VERSION;
  fixed[2] = MODEL_NUMBER_FORMAT;
  put_u32(fixed + 4, (uint32_t)MODEL_HASH);
  fixed[12] = (uint8_t)(int8_t)MODEL_INPUT_SCALE_FACTOR;
  fixed[13] = (uint8_t)(int8_t)MODEL_OUTPUT_SCALE_FACTOR;
  put_u32(fixed + 16, MODEL_INPUT_DIMS);
  put_u32(fixed + 20, MODEL_OUTPUT_DIMS);
#endif
  fixed[0] = PROTOCOL_VERSION;
  fixed[3] = BOARD_COUNTER_KIND;
  put_u32(fixed + 8, (uint32_t)BOARD_CLOCK_HZ);
  put_u16(fixed + 14, MOTE_MAX_BATCH);
  fixed[24] = (uint8_t)rank;
  frame_begin(TYPE_HELLO, seq, 25u + 2u * rank + 2u + board_length + name_length);
  frame_write(fixed, 25);
  for (uint32_t i = 0; i < rank; i++) {
    uint8_t dim[2];
    put_u16(dim, input_shape[i]);
    frame_write(dim, 2);
  }
  uint8_t length = (uint8_t)board_length;
  frame_write(&length, 1);
  frame_write(board_id, board_length);
  length = (uint8_t)name_length;
  frame_write(&length, 1);
  frame_write(model_name, name_length);
  frame_end();
}

static void send_error(uint16_t seq, uint8_t code, uint32_t detail) {
  uint8_t payload[6];
  payload[0] = code;
  put_u32(payload + 1, detail);
  payload[5] = 0; /* no message text: keeps flash small; the host names the code */
  frame_begin(TYPE_ERROR, seq, 6);
  frame_write(payload, 6);
  frame_end();
}

static void serve_infer(uint16_t seq) {
#ifdef MOTE_EVAL_LOADABLE
  if (!MODEL) { send_error(seq, ERR_NO_MODEL, mote_eval_model_status()); return; }
#endif
  if (payload_length < INFER_HEADER_BYTES) { send_error(seq, ERR_BAD_LENGTH, payload_length); return; }
  uint32_t first_index = get_u32(rx_payload);
  uint32_t count = rx_payload[4] | (rx_payload[5] << 8);
  if (count > MOTE_MAX_BATCH) { send_error(seq, ERR_BATCH_TOO_LARGE, MOTE_MAX_BATCH); return; }
  if (payload_length != INFER_HEADER_BYTES + count * EVAL_INPUT_BYTES) {
    send_error(seq, ERR_BAD_LENGTH, INFER_HEADER_BYTES + count * EVAL_INPUT_BYTES);
    return;
  }
  for (uint32_t v = 0; v < count; v++) {
    /* Copy into an aligned buffer: payload offsets are not aligned for int16/float inputs. */
    memcpy(EVAL_INPUT_BUFFER, rx_payload + INFER_HEADER_BYTES + v * EVAL_INPUT_BYTES, EVAL_INPUT_BYTES);
    board_counter_start();
    mote_mark_begin();
    EVAL_RUN();
    mote_mark_end();
    uint32_t counter = board_counter_elapsed();
    uint8_t fixed[8];
    put_u32(fixed, first_index + v);
    put_u32(fixed + 4, counter);
    frame_begin(TYPE_RESULT, seq, 8u + EVAL_OUTPUT_BYTES);
    frame_write(fixed, 8);
    frame_write(EVAL_OUTPUT_BUFFER, EVAL_OUTPUT_BYTES);
    frame_end();
  }
}

static void dispatch(void) {
  switch (frame_type) {
    case TYPE_INFER: serve_infer(frame_seq); break;
    case TYPE_HELLO_REQUEST: send_hello(frame_seq); break;
    default:
#ifdef MOTE_EVAL_LOADABLE
      if (frame_type > TYPE_HELLO_REQUEST) { mote_eval_extension_serve(frame_type, frame_seq, rx_payload, payload_length); break; }
#endif
      send_error(frame_seq, ERR_UNKNOWN_TYPE, frame_type);
      break;
  }
}

#ifdef MOTE_EVAL_LOADABLE
void mote_eval_send(uint8_t type, uint16_t seq, const void *payload, uint32_t length) {
  frame_begin(type, seq, length);
  frame_write(payload, length);
  frame_end();
}
void mote_eval_send_hello(uint16_t seq) { send_hello(seq); }
#endif

void mote_eval_init(void) {
  state = WAIT_SYNC0;
  send_hello(0);
}

void mote_eval_rx_byte(uint8_t byte) {
  switch (state) {
    case WAIT_SYNC0:
      if (byte == SYNC0) state = WAIT_SYNC1;
      break;
    case WAIT_SYNC1:
      state = byte == SYNC1 ? HEADER : (byte == SYNC0 ? WAIT_SYNC1 : WAIT_SYNC0);
      header_fill = 0;
      break;
    case HEADER:
      header[header_fill++] = byte;
      if (header_fill < 5) break;
      payload_length = header[0] | (header[1] << 8);
      frame_type = header[2];
      frame_seq = (uint16_t)(header[3] | (header[4] << 8));
      if (frame_type < TYPE_HELLO || frame_type > LAST_TYPE) { state = WAIT_SYNC0; break; }
      /* A length that cannot belong to this type means a corrupted header: say so at once (the host
         re-sends) instead of waiting for bytes that may never come. */
      if ((frame_type == TYPE_INFER && EVAL_INPUT_BYTES && (payload_length < INFER_HEADER_BYTES || (payload_length - INFER_HEADER_BYTES) % EVAL_INPUT_BYTES != 0)) ||
          (frame_type == TYPE_HELLO_REQUEST && payload_length != 0)
#ifdef MOTE_EVAL_LOADABLE
          || (frame_type > TYPE_HELLO_REQUEST && !mote_eval_extension_length_ok(frame_type, payload_length))
#endif
          ) {
        send_error(frame_seq, ERR_BAD_CRC, payload_length);
        state = WAIT_SYNC0;
        break;
      }
      if (payload_length > MOTE_RX_PAYLOAD_MAX) {
        send_error(frame_seq, ERR_FRAME_TOO_LARGE, MOTE_RX_PAYLOAD_MAX);
        state = WAIT_SYNC0;
        break;
      }
      payload_fill = 0;
      crc_fill = 0;
      received_crc = 0;
      state = payload_length ? PAYLOAD : CRC;
      break;
    case PAYLOAD:
      rx_payload[payload_fill++] = byte;
      if (payload_fill == payload_length) state = CRC;
      break;
    case CRC:
      received_crc |= (uint32_t)byte << (8u * crc_fill++);
      if (crc_fill < 4) break;
      state = WAIT_SYNC0;
      {
        uint32_t crc = mote_crc32_update(0, header, 5);
        crc = mote_crc32_update(crc, rx_payload, payload_length);
        if (crc != received_crc) { send_error(frame_seq, ERR_BAD_CRC, crc); break; }
      }
      dispatch();
      break;
  }
}
#endif /* !MOTE_PROTOCOL_QUALIA */
