/* Qualia's text evaluation protocol, board side (built with -DMOTE_PROTOCOL_QUALIA), so that Qualia's
 * own host evaluator (qualia_core.evaluation.target.Qualia) and Mote's protocol-qualia.ts can drive this
 * firmware. Facts from docs/protocol.md §Qualia: "READY\r\n" once; per vector a line of comma-separated
 * floats ending in "\r\n"; reply "<bytes received>\r\n", then "<i>,<label>,<score>,<µs>\r\n" with i
 * 1-based, label the argmax, score the raw maximum output printed with six decimals. */
#ifdef MOTE_PROTOCOL_QUALIA
#include <string.h>
#include "mote_board.h"
#include "mote_eval.h"
#include "mote_model.h"

#ifndef ROUND_MODE_FLOOR
#define ROUND_MODE_FLOOR 0
#define ROUND_MODE_NEAREST 1
#define ROUND_MODE_CEIL 2
#endif
#ifndef MOTE_QUALIA_LINE_MAX
#define MOTE_QUALIA_LINE_MAX 16384u /* Qualia's MAX_READ_SIZE */
#endif

static char line[MOTE_QUALIA_LINE_MAX];
static uint32_t line_fill;
static uint32_t inference_count;
static input_t input_buffer;
static output_t output_buffer;

static void send_text(const char *text) { board_uart_write((const uint8_t *)text, (uint32_t)strlen(text)); }

/* Writes the decimal digits of v ending at end (exclusive); returns the first character. */
static char *format_u32(char *end, uint32_t v) {
  do { *--end = (char)('0' + v % 10u); v /= 10u; } while (v);
  return end;
}

static void send_u32(uint32_t v) {
  char buffer[12];
  char *start = format_u32(buffer + sizeof buffer, v);
  board_uart_write((const uint8_t *)start, (uint32_t)(buffer + sizeof buffer - start));
}

/* printf("%f") for the score: six decimals, half away from zero. */
static void send_fixed6(float value) {
  if (value != value) { send_text("nan"); return; }
  if (value < 0) { send_text("-"); value = -value; }
  if (value > 4.0e9f) { send_text("inf"); return; }
  double scaled = (double)value * 1e6 + 0.5;
  uint32_t integer = (uint32_t)(scaled / 1e6);
  uint32_t fraction = (uint32_t)(scaled - (double)integer * 1e6);
  if (fraction >= 1000000u) { integer++; fraction -= 1000000u; }
  send_u32(integer);
  char digits[7];
  digits[0] = '.';
  for (int i = 6; i >= 1; i--) { digits[i] = (char)('0' + fraction % 10u); fraction /= 10u; }
  board_uart_write((const uint8_t *)digits, 7);
}

/* Decimal float parser for Python's float32 repr ("0.5", "-1.25e-05", "3.0"); returns the position after
 * the number. Accumulates up to 19 significant digits exactly, then scales in double precision, which
 * round-trips every shortest float32 representation. */
static const char *parse_float(const char *p, const char *end, float *out) {
  int negative = 0;
  if (p < end && (*p == '-' || *p == '+')) negative = *p++ == '-';
  uint64_t mantissa = 0;
  int digits = 0, exponent = 0;
  for (; p < end && *p >= '0' && *p <= '9'; p++) {
    if (digits < 19) { mantissa = mantissa * 10u + (uint64_t)(*p - '0'); if (mantissa) digits++; } else exponent++;
  }
  if (p < end && *p == '.') {
    for (p++; p < end && *p >= '0' && *p <= '9'; p++) {
      if (digits < 19) { mantissa = mantissa * 10u + (uint64_t)(*p - '0'); if (mantissa) digits++; exponent--; }
    }
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    p++;
    int exp_negative = 0, value = 0;
    if (p < end && (*p == '-' || *p == '+')) exp_negative = *p++ == '-';
    for (; p < end && *p >= '0' && *p <= '9'; p++) if (value < 1000) value = value * 10 + (*p - '0');
    exponent += exp_negative ? -value : value;
  }
  double result = (double)mantissa;
  double power = 10.0, scale = 1.0;
  int e = exponent < 0 ? -exponent : exponent;
  while (e) { if (e & 1) scale *= power; power *= power; e >>= 1; }
  result = exponent < 0 ? result / scale : result * scale;
  *out = (float)(negative ? -result : result);
  return p;
}

#if MODEL_NUMBER_FORMAT != 32
/* clamp(round_mode(x · 2^MODEL_INPUT_SCALE_FACTOR)), nearest = floor(x + 0.5) as in Qualia. */
static model_number_t quantize_input(float x) {
  const int32_t high = MODEL_NUMBER_FORMAT == 8 ? 127 : 32767;
#if MODEL_INPUT_SCALE_FACTOR >= 0
  double v = (double)x * (double)(1LL << MODEL_INPUT_SCALE_FACTOR);
#else
  double v = (double)x / (double)(1LL << -(MODEL_INPUT_SCALE_FACTOR));
#endif
  if (MODEL_INPUT_ROUND_MODE == ROUND_MODE_NEAREST) v += 0.5;
  if (v >= (double)high) return (model_number_t)high;
  if (v <= (double)(-high - 1)) return (model_number_t)(-high - 1);
  int32_t r = (int32_t)v; /* truncates toward zero */
  if (MODEL_INPUT_ROUND_MODE == ROUND_MODE_CEIL) { if ((double)r < v) r++; }
  else if ((double)r > v) r--;
  return (model_number_t)r;
}
#endif

static void serve_line(void) {
  /* Bytes kept, so an over-long line (beyond the buffer, as Qualia's DMA limit) shows as an ack mismatch. */
  send_u32(line_fill);
  send_text("\r\n");
  model_number_t *input = (model_number_t *)input_buffer;
  const char *p = line, *end = line + line_fill;
  for (uint32_t i = 0; i < MODEL_INPUT_DIMS; i++) {
    float value = 0.0f;
    if (p < end && *p != '\r' && *p != '\n') {
      p = parse_float(p, end, &value);
      if (p < end && *p != '\r' && *p != '\n') p++; /* one delimiter */
    }
#if MODEL_NUMBER_FORMAT == 32
    input[i] = value;
#else
    input[i] = quantize_input(value);
#endif
  }
  board_counter_start();
  mote_mark_begin();
  MODEL_ENTRY(input_buffer, output_buffer);
  mote_mark_end();
  uint32_t elapsed_us = (uint32_t)BOARD_COUNTER_TO_US(board_counter_elapsed());
  const model_number_t *output = (const model_number_t *)output_buffer;
  uint32_t label = 0;
  for (uint32_t i = 1; i < MODEL_OUTPUT_DIMS; i++) if (output[i] > output[label]) label = i;
  inference_count++;
  send_u32(inference_count);
  send_text(",");
  send_u32(label);
  send_text(",");
  send_fixed6((float)output[label]);
  send_text(",");
  send_u32(elapsed_us);
  send_text("\r\n");
}

void mote_eval_init(void) {
  line_fill = 0;
  send_text("READY\r\n");
}

void mote_eval_rx_byte(uint8_t byte) {
  if (line_fill < MOTE_QUALIA_LINE_MAX) line[line_fill++] = (char)byte;
  if (byte != '\n') return;
  serve_line();
  line_fill = 0;
}
#endif /* MOTE_PROTOCOL_QUALIA */
