/* The evaluation loop, byte-driven so that bare-metal boards (blocking UART reads) and the Wasm board
 * (bytes pushed from JavaScript) share it. Built for protocol v1 by default, for Qualia's text protocol
 * with -DMOTE_PROTOCOL_QUALIA. */
#ifndef MOTE_EVAL_H
#define MOTE_EVAL_H
#include <stdint.h>

/* Sends the greeting (HELLO frame, or Qualia's "READY\r\n"). */
void mote_eval_init(void);
/* Feeds one received byte; runs inferences and sends replies when a request is complete. */
void mote_eval_rx_byte(uint8_t byte);

/* Called right before and after each inference: the QEMU instruction-count plugin watches their
 * addresses (tools/qemu/insncount.c), so they must stay distinct, out-of-line functions. */
void mote_mark_begin(void);
void mote_mark_end(void);

#ifdef MOTE_EVAL_LOADABLE
/* Hooks of the loadable build (-DMOTE_EVAL_LOADABLE): a firmware whose model arrives at run time (the Mote
 * Runtime, runtime/ports/common/mote_rt_firmware.c) describes it here and serves the frame types above
 * HELLO_REQUEST up to MOTE_EVAL_LAST_TYPE (docs/protocol.md, model load). */
#define MOTE_EVAL_LAST_TYPE 0x09u
typedef struct {
  uint8_t number_format;   /* 8 or 16 */
  uint32_t hash;           /* HELLO's model hash */
  int8_t input_scale, output_scale;
  uint32_t input_dims, output_dims;
  uint8_t input_rank;
  uint16_t input_shape[4];
  uint8_t name_length;
  const char *name;
  void *input;             /* aligned input buffer of input_dims numbers */
  const void *output;      /* output buffer of output_dims numbers */
} mote_eval_model;
/* The current model, or 0 when none is loaded. */
const mote_eval_model *mote_eval_model_current(void);
/* Why there is no model (ERROR 6's detail): the last load's status, 0 if none was tried. */
uint32_t mote_eval_model_status(void);
/* One inference from the model's input buffer into its output buffer. */
void mote_eval_model_run(void);
/* Whether a frame of `type` (> HELLO_REQUEST) may have `length` payload bytes (else: a corrupted header). */
int mote_eval_extension_length_ok(uint8_t type, uint32_t length);
/* Serves a checked frame of `type` (> HELLO_REQUEST). */
void mote_eval_extension_serve(uint8_t type, uint16_t seq, const uint8_t *payload, uint32_t length);
/* For the extension's replies: one whole frame, and a HELLO for the current model. */
void mote_eval_send(uint8_t type, uint16_t seq, const void *payload, uint32_t length);
void mote_eval_send_hello(uint16_t seq);
#endif
#endif
