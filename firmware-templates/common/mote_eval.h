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
#endif
