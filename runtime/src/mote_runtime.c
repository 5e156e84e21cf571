/* The model loader and the interpreter loop. Everything a kernel relies on is proven here, once, from the
 * blob's bytes alone (docs/model-blob.md): each tensor lies inside the arena, each layer's geometry matches
 * its tensors' sizes, each weight array lies inside the weights section, aligned. A blob that passes can
 * still compute nonsense if hand-made (overlapping live buffers), but never reads or writes out of bounds. */
#include <string.h>
#include "mote_runtime.h"
#include "mote_rt_kernels.h"

#define TENSOR_INPUT 0xFFFFFFFFu
#define MAX_SHIFT 52

/* The activation arena; 8-byte aligned for int64 views and SIMD word loads. */
static uint64_t arena[(MOTE_RT_ARENA_BYTES + 7u) / 8u];
static rt_layer layers[MOTE_RT_MAX_LAYERS];
static struct { uint32_t offset, elements; } tensors[MOTE_RT_MAX_TENSORS];
static uint16_t layer_count, output_tensor;
static rt_numbers numbers;
static mote_rt_info info;
static int loaded;

static uint32_t u16at(const uint8_t *p) { return (uint32_t)p[0] | ((uint32_t)p[1] << 8); }
static uint32_t u32at(const uint8_t *p) { return u16at(p) | (u16at(p + 2) << 16); }
static int32_t i32at(const uint8_t *p) { return (int32_t)u32at(p); }

/* Loader state while one blob is checked. */
typedef struct {
  const uint8_t *blob;
  uint32_t weights_offset, weights_bytes;
  uint32_t bad_offset;
  int elem_bytes, acc_bytes;
  uint8_t defined[MOTE_RT_MAX_TENSORS];
} checker;

static enum mote_rt_status fail(checker *ck, enum mote_rt_status status, uint32_t offset) {
  ck->bad_offset = offset;
  return status;
}

/* A weight array of `bytes` at `offset` inside the weights section, aligned to `align`; 0 if it is not. */
static const void *weights_at(checker *ck, int32_t offset, uint64_t bytes, uint32_t align) {
  if (offset < 0 || (uint32_t)offset % align != 0 || (uint64_t)(uint32_t)offset + bytes > ck->weights_bytes) return 0;
  return ck->blob + ck->weights_offset + (uint32_t)offset;
}

static int in_range(int32_t v, int32_t lo, int32_t hi) { return v >= lo && v <= hi; }
static int64_t pair64(const int32_t *p, int at) { return (int64_t)(((uint64_t)(uint32_t)p[at + 1] << 32) | (uint32_t)p[at]); }
static uint32_t elements_of(uint16_t tensor) { return tensors[tensor].elements; }

/* Output size of a window along one dim, or -1 when the window does not fit (PyTorch floor semantics). */
static int32_t window_out(int32_t size, int32_t window, int32_t stride, int32_t pad) {
  int32_t span = size + 2 * pad - window;
  return span < 0 ? -1 : span / stride + 1;
}

static int simd_numbers(void) {
  return (numbers.bits == 8 && numbers.long_width == 32) || (numbers.bits == 16 && numbers.long_width != 16);
}

/* Conv/Dense: geometry, activation, rescaling and weights. `p` has the Conv order (docs/model-blob.md). */
static enum mote_rt_status check_conv(checker *ck, rt_layer *l, const int32_t *p, uint32_t at) {
  rt_conv *c = &l->u.conv;
  c->h = p[0]; c->w = p[1]; c->cin = p[2]; c->oh = p[3]; c->ow = p[4]; c->filters = p[5];
  c->kh = p[6]; c->kw = p[7]; c->sh = p[8]; c->sw = p[9]; c->ph = p[10]; c->pw = p[11]; c->groups = p[12];
  c->activation = p[13]; c->shift = p[14]; c->addend = pair64(p, 15); c->limit = pair64(p, 17); c->packed = p[19];
  const int32_t dims[] = { c->h, c->w, c->cin, c->oh, c->ow, c->filters, c->kh, c->kw, c->sh, c->sw, c->groups };
  for (unsigned i = 0; i < sizeof dims / sizeof dims[0]; i++) if (!in_range(dims[i], 1, 65535)) return fail(ck, MOTE_RT_BAD_LAYER, at);
  if (!in_range(c->ph, 0, 65535) || !in_range(c->pw, 0, 65535)) return fail(ck, MOTE_RT_BAD_LAYER, at);
  if (c->cin % c->groups || c->filters % c->groups) return fail(ck, MOTE_RT_BAD_LAYER, at);
  if (window_out(c->h, c->kh, c->sh, c->ph) != c->oh || window_out(c->w, c->kw, c->sw, c->pw) != c->ow) return fail(ck, MOTE_RT_BAD_LAYER, at);
  if ((uint64_t)c->h * c->w * c->cin != elements_of(l->inputs[0])) return fail(ck, MOTE_RT_BAD_LAYER, at);
  if ((uint64_t)c->oh * c->ow * c->filters != elements_of(l->output)) return fail(ck, MOTE_RT_BAD_LAYER, at);
  if (!in_range(c->activation, 0, 2) || !in_range(c->shift, -MAX_SHIFT, MAX_SHIFT) || !in_range(c->packed, 0, 1)) return fail(ck, MOTE_RT_BAD_LAYER, at);
  if (c->packed && (!info.packed || c->groups != 1 || !simd_numbers())) return fail(ck, MOTE_RT_BAD_LAYER, at);
  const int needs_window = c->ph > 0 || c->pw > 0;
  if (c->packed && needs_window && (uint64_t)c->kh * c->kw * c->cin * ck->elem_bytes > MOTE_RT_WINDOW_BYTES) return fail(ck, MOTE_RT_BAD_LAYER, at);
  uint64_t kernel_bytes;
  if (c->packed) {
    const uint64_t n = (uint64_t)c->kw * c->cin;
    const uint64_t row_words = numbers.bits == 8 ? (n / 4) * 2 + n % 4 : n / 2 + n % 2;
    kernel_bytes = (uint64_t)c->filters * c->kh * row_words * 4u;
  } else {
    kernel_bytes = (uint64_t)c->filters * c->kh * c->kw * (c->cin / c->groups) * ck->elem_bytes;
  }
  c->kernel = weights_at(ck, p[20], kernel_bytes, c->packed ? 4u : (uint32_t)ck->elem_bytes);
  if (!c->kernel) return fail(ck, MOTE_RT_BAD_LAYER, at);
  c->bias = 0;
  if (p[21] != -1) {
    c->bias = weights_at(ck, p[21], (uint64_t)c->filters * ck->acc_bytes, (uint32_t)ck->acc_bytes);
    if (!c->bias) return fail(ck, MOTE_RT_BAD_LAYER, at);
  }
  return MOTE_RT_OK;
}

/* Checks one layer's parameters against its tensors and decodes them into `l`. */
static enum mote_rt_status check_layer(checker *ck, rt_layer *l, const int32_t *p, uint32_t n_params, uint32_t at) {
  const uint32_t in0 = elements_of(l->inputs[0]), out = elements_of(l->output);
  const int32_t max = numbers.bits == 8 ? 127 : 32767;
#define NEED(count, inputs) do { if (n_params != (count) || l->n_inputs != (inputs)) return fail(ck, MOTE_RT_BAD_LAYER, at); } while (0)
#define CHECK(condition) do { if (!(condition)) return fail(ck, MOTE_RT_BAD_LAYER, at); } while (0)
  switch (l->code) {
    case RT_CONV:
      NEED(22, 1);
      return check_conv(ck, l, p, at);
    case RT_DENSE: {
      NEED(11, 1);
      /* A Dense layer is a 1×1 convolution of a 1×1 image with `inputs` channels. */
      const int32_t conv[22] = { 1, 1, p[0], 1, 1, p[1], 1, 1, 1, 1, 0, 0, 1, p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10] };
      return check_conv(ck, l, conv, at);
    }
    case RT_BATCH_NORM: {
      NEED(7, 1);
      rt_batch_norm *b = &l->u.bn;
      b->positions = p[0]; b->channels = p[1]; b->shift = p[2]; b->addend = pair64(p, 3);
      CHECK(in_range(b->positions, 1, 0x7fffffff) && in_range(b->channels, 1, 65535) && in_range(b->shift, -MAX_SHIFT, MAX_SHIFT));
      CHECK((uint64_t)b->positions * b->channels == in0 && in0 == out);
      b->kernel = weights_at(ck, p[5], (uint64_t)b->channels * ck->elem_bytes, (uint32_t)ck->elem_bytes);
      b->bias = weights_at(ck, p[6], (uint64_t)b->channels * ck->acc_bytes, (uint32_t)ck->acc_bytes);
      CHECK(b->kernel && b->bias);
      return MOTE_RT_OK;
    }
    case RT_RELU:
    case RT_RELU6:
      NEED(l->code == RT_RELU ? 1u : 2u, 1);
      l->u.clamp.size = p[0];
      l->u.clamp.limit = l->code == RT_RELU6 ? p[1] : 0;
      CHECK(p[0] >= 1 && (uint32_t)p[0] == in0 && in0 == out && in_range(l->u.clamp.limit, 0, max));
      return MOTE_RT_OK;
    case RT_MAX_POOL:
    case RT_AVG_POOL: {
      NEED(9, 1);
      rt_pool *q = &l->u.pool;
      const int32_t h = p[0];
      q->w = p[1]; q->c = p[2]; q->oh = p[3]; q->ow = p[4]; q->kh = p[5]; q->kw = p[6]; q->sh = p[7]; q->sw = p[8];
      for (int i = 0; i < 9; i++) CHECK(in_range(p[i], 1, 65535));
      CHECK(window_out(h, q->kh, q->sh, 0) == q->oh && window_out(q->w, q->kw, q->sw, 0) == q->ow);
      CHECK((uint64_t)h * q->w * q->c == in0 && (uint64_t)q->oh * q->ow * q->c == out);
      return MOTE_RT_OK;
    }
    case RT_GLOBAL_POOL: {
      NEED(6, 1);
      rt_global_pool *g = &l->u.gp;
      g->positions = p[0]; g->channels = p[1]; g->mode = p[2]; g->shift = p[3]; g->addend = pair64(p, 4);
      CHECK(in_range(g->positions, 1, 0x7fffffff) && in_range(g->channels, 1, 0x7fffffff) && in_range(g->mode, 0, 2) && in_range(g->shift, -MAX_SHIFT, MAX_SHIFT));
      CHECK((uint64_t)g->positions * g->channels == in0 && (uint32_t)g->channels == out);
      return MOTE_RT_OK;
    }
    case RT_ADD: {
      CHECK(l->n_inputs >= 1 && n_params == 7u + l->n_inputs);
      rt_add *a = &l->u.add;
      a->size = p[0]; a->n = l->n_inputs; a->activation = p[1]; a->limit = pair64(p, 2); a->shift = p[4]; a->addend = pair64(p, 5);
      CHECK(a->size >= 1 && (uint32_t)a->size == out && in_range(a->activation, 0, 2) && in_range(a->shift, -MAX_SHIFT, MAX_SHIFT));
      for (int k = 0; k < a->n; k++) {
        a->factor_shift[k] = p[7 + k];
        CHECK(in_range(a->factor_shift[k], 0, MAX_SHIFT) && elements_of(l->inputs[k]) == out);
      }
      return MOTE_RT_OK;
    }
    case RT_CONCATENATE: {
      CHECK(l->n_inputs >= 1 && n_params == 2u + 4u * l->n_inputs);
      rt_concat *c = &l->u.cat;
      c->positions = p[0]; c->channels = p[1]; c->n = l->n_inputs;
      CHECK(in_range(c->positions, 1, 0x7fffffff) && in_range(c->channels, 1, 0x7fffffff) && (uint64_t)c->positions * c->channels == out);
      int32_t offset = 0;
      for (int k = 0; k < c->n; k++) {
        const int32_t *r = p + 2 + 4 * k;
        c->run_channels[k] = r[0]; c->run_offset[k] = offset; c->run_shift[k] = r[1]; c->run_addend[k] = pair64(r, 2);
        CHECK(in_range(r[0], 1, c->channels - offset) && in_range(r[1], -MAX_SHIFT, MAX_SHIFT));
        CHECK((uint64_t)c->positions * r[0] == elements_of(l->inputs[k]));
        offset += r[0];
      }
      CHECK(offset == c->channels);
      return MOTE_RT_OK;
    }
    default:
      return fail(ck, MOTE_RT_UNKNOWN_LAYER, at);
  }
#undef NEED
#undef CHECK
}

enum mote_rt_status mote_rt_load(const uint8_t *blob, uint32_t length, uint32_t *offset) {
  static checker ck;
  enum mote_rt_status status = MOTE_RT_OK;
  memset(&ck, 0, sizeof ck);
  ck.blob = blob;
  loaded = 0;
  memset(&info, 0, sizeof info);
#define FAIL(s, at) do { status = fail(&ck, (s), (at)); goto done; } while (0)
  if (length < 8u) FAIL(MOTE_RT_TRUNCATED, length);
  if (blob[0] != 'M' || blob[1] != 'O' || blob[2] != 'T' || blob[3] != 'B') FAIL(MOTE_RT_BAD_MAGIC, 0);
  if (u16at(blob + 4) != MOTE_BLOB_FORMAT_VERSION) FAIL(MOTE_RT_BAD_VERSION, 4);
  if (length < MOTE_BLOB_HEADER_BYTES + 4u) FAIL(MOTE_RT_TRUNCATED, length);
  if (u16at(blob + 6) != MOTE_BLOB_HEADER_BYTES) FAIL(MOTE_RT_BAD_HEADER, 6);
  const uint32_t blob_bytes = u32at(blob + 8);
  if (blob_bytes > length) FAIL(MOTE_RT_TRUNCATED, length);
  if (blob_bytes < length || blob_bytes % 4u != 0 || blob_bytes < MOTE_BLOB_HEADER_BYTES + 4u) FAIL(MOTE_RT_BAD_HEADER, 8);
  if (((uintptr_t)blob & 3u) != 0) FAIL(MOTE_RT_BAD_HEADER, 0);
  const uint32_t crc = u32at(blob + blob_bytes - 4u);
  if (mote_crc32_update(0, blob, blob_bytes - 4u) != crc) FAIL(MOTE_RT_BAD_CRC, blob_bytes - 4u);

  info.bits = blob[12];
  info.long_width = blob[13];
  info.packed = blob[14];
  info.input_rank = blob[15];
  if (info.bits != 8 && info.bits != 16) FAIL(MOTE_RT_BAD_HEADER, 12);
  if (info.long_width != 16 && info.long_width != 32 && info.long_width != 64) FAIL(MOTE_RT_BAD_HEADER, 13);
  if (info.packed > 1) FAIL(MOTE_RT_BAD_HEADER, 14);
  /* Set before the layers are checked: whether a packed layer is legal depends on the number type. */
  numbers.bits = info.bits;
  numbers.long_width = info.long_width;
  if (info.input_rank < 1 || info.input_rank > 4) FAIL(MOTE_RT_BAD_HEADER, 15);
  uint64_t input_product = 1;
  for (uint32_t i = 0; i < 4; i++) {
    info.input_shape[i] = (uint16_t)u16at(blob + 16 + 2 * i);
    if ((i < info.input_rank) != (info.input_shape[i] != 0)) FAIL(MOTE_RT_BAD_HEADER, 16 + 2 * i);
    if (i < info.input_rank) input_product *= info.input_shape[i];
  }
  info.input_frac = (int8_t)blob[24];
  info.output_frac = (int8_t)blob[25];
  if (blob[26] > 2 || blob[27] != 0) FAIL(MOTE_RT_BAD_HEADER, 26);
  const uint32_t tensor_count = u16at(blob + 28);
  layer_count = (uint16_t)u16at(blob + 30);
  output_tensor = (uint16_t)u16at(blob + 32);
  info.arena_elements = u32at(blob + 36);
  info.input_elements = u32at(blob + 40);
  info.output_elements = u32at(blob + 44);
  const uint32_t tensors_offset = u32at(blob + 48), layers_offset = u32at(blob + 52), layers_bytes = u32at(blob + 56);
  ck.weights_offset = u32at(blob + 60);
  ck.weights_bytes = u32at(blob + 64);
  info.name_length = blob[68];
  if (tensor_count < 2 || layer_count < 1) FAIL(MOTE_RT_BAD_HEADER, 28);
  if (tensor_count > MOTE_RT_MAX_TENSORS) FAIL(MOTE_RT_TOO_LARGE, 28);
  if (layer_count > MOTE_RT_MAX_LAYERS) FAIL(MOTE_RT_TOO_LARGE, 30);
  if (output_tensor >= tensor_count) FAIL(MOTE_RT_BAD_HEADER, 32);
  ck.elem_bytes = info.bits / 8;
  ck.acc_bytes = info.long_width == 64 ? 8 : 4;
  if ((uint64_t)info.arena_elements * ck.elem_bytes > MOTE_RT_ARENA_BYTES) FAIL(MOTE_RT_TOO_LARGE, 36);
  if (info.input_elements != input_product) FAIL(MOTE_RT_BAD_HEADER, 40);
  if (info.output_elements == 0) FAIL(MOTE_RT_BAD_HEADER, 44);
  if (tensors_offset != MOTE_BLOB_HEADER_BYTES) FAIL(MOTE_RT_BAD_HEADER, 48);
  if (layers_offset != tensors_offset + 8u * tensor_count) FAIL(MOTE_RT_BAD_HEADER, 52);
  if (layers_bytes > blob_bytes || layers_offset + layers_bytes > blob_bytes - 4u) FAIL(MOTE_RT_BAD_HEADER, 56);
  if (ck.weights_offset != ((layers_offset + layers_bytes + 7u) & ~7u)) FAIL(MOTE_RT_BAD_HEADER, 60);
  if (ck.weights_offset > blob_bytes - 4u || ck.weights_bytes != blob_bytes - 4u - ck.weights_offset) FAIL(MOTE_RT_BAD_HEADER, 64);
  if (info.name_length > 59) FAIL(MOTE_RT_BAD_HEADER, 68);
  memcpy(info.name, blob + 69, info.name_length);
  info.name[info.name_length] = 0;

  for (uint32_t t = 0; t < tensor_count; t++) {
    const uint8_t *entry = blob + tensors_offset + 8u * t;
    tensors[t].offset = u32at(entry);
    tensors[t].elements = u32at(entry + 4);
    if (t == 0) {
      if (tensors[t].offset != TENSOR_INPUT || tensors[t].elements != info.input_elements) FAIL(MOTE_RT_BAD_HEADER, tensors_offset);
      continue;
    }
    if (tensors[t].elements == 0 || tensors[t].offset == TENSOR_INPUT ||
        (uint64_t)tensors[t].offset + tensors[t].elements > info.arena_elements ||
        ((uint64_t)tensors[t].offset * ck.elem_bytes) % 4u != 0) FAIL(MOTE_RT_BAD_HEADER, tensors_offset + 8u * t);
  }
  if (tensors[output_tensor].elements != info.output_elements) FAIL(MOTE_RT_BAD_HEADER, 44);

  ck.defined[0] = 1;
  uint32_t at = layers_offset;
  const uint32_t layers_end = layers_offset + layers_bytes;
  for (uint32_t i = 0; i < layer_count; i++) {
    rt_layer *l = &layers[i];
    if (at + 8u > layers_end) FAIL(MOTE_RT_BAD_HEADER, at);
    const uint8_t *rec = blob + at;
    l->code = rec[0];
    l->n_inputs = rec[1];
    const uint32_t n_params = u16at(rec + 2);
    l->output = (uint16_t)u16at(rec + 4);
    if (l->code < RT_CONV || l->code > RT_CONCATENATE) FAIL(MOTE_RT_UNKNOWN_LAYER, at);
    if (l->n_inputs < 1 || l->n_inputs > RT_MAX_INPUTS || u16at(rec + 6) != 0) FAIL(MOTE_RT_BAD_LAYER, at + 1);
    const uint32_t inputs_bytes = (2u * l->n_inputs + 3u) & ~3u;
    const uint32_t record_bytes = 8u + inputs_bytes + 4u * n_params;
    if (at + record_bytes > layers_end) FAIL(MOTE_RT_BAD_HEADER, at);
    for (uint32_t k = 0; k < l->n_inputs; k++) {
      l->inputs[k] = (uint16_t)u16at(rec + 8 + 2 * k);
      if (l->inputs[k] >= tensor_count || !ck.defined[l->inputs[k]]) FAIL(MOTE_RT_BAD_LAYER, at + 8 + 2 * k);
    }
    /* Each tensor is written by exactly one layer, never the caller's input. */
    if (l->output == 0 || l->output >= tensor_count || ck.defined[l->output]) FAIL(MOTE_RT_BAD_LAYER, at + 4);
    static int32_t params[8u + 4u * RT_MAX_INPUTS + 16u];
    if (n_params > sizeof params / sizeof params[0]) FAIL(MOTE_RT_BAD_LAYER, at + 2);
    for (uint32_t k = 0; k < n_params; k++) params[k] = i32at(rec + 8 + inputs_bytes + 4 * k);
    status = check_layer(&ck, l, params, n_params, at);
    if (status != MOTE_RT_OK) goto done;
    ck.defined[l->output] = 1;
    at += record_bytes;
  }
  if (at != layers_end) FAIL(MOTE_RT_BAD_HEADER, at);
  if (!ck.defined[output_tensor]) FAIL(MOTE_RT_BAD_HEADER, 32);
  info.crc = crc;
  loaded = 1;
#undef FAIL
done:
  if (status != MOTE_RT_OK) {
    memset(&info, 0, sizeof info);
    if (offset) *offset = ck.bad_offset;
  } else if (offset) {
    *offset = 0;
  }
  return status;
}

const mote_rt_info *mote_rt_model(void) { return loaded ? &info : 0; }

void mote_rt_unload(void) {
  loaded = 0;
  memset(&info, 0, sizeof info);
}

static void *tensor_data(uint16_t tensor, const void *input) {
  if (tensor == 0) return (void *)(uintptr_t)input;
  return (uint8_t *)arena + (size_t)tensors[tensor].offset * numbers.bits / 8u;
}

void mote_rt_run(const void *input, void *output) {
  if (!loaded) return;
  for (uint32_t i = 0; i < layer_count; i++) {
    const rt_layer *l = &layers[i];
    const void *in[RT_MAX_INPUTS];
    for (uint32_t k = 0; k < l->n_inputs; k++) in[k] = tensor_data(l->inputs[k], input);
    mote_rt_run_layer(l, in, tensor_data(l->output, input), &numbers);
  }
  memcpy(output, tensor_data(output_tensor, input), (size_t)info.output_elements * numbers.bits / 8u);
}
