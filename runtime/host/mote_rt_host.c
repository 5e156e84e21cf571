/* Host harness of the runtime (tests, bench): `mote_rt_host <model.blob> <inputs.bin> <outputs.bin>` loads
 * the blob, then runs every whole input vector (raw numbers, back to back) and writes the raw outputs.
 * A blob the loader refuses exits 3 after printing `load failed: status <n> at byte <offset>`. */
#include <stdio.h>
#include <stdlib.h>
#include "mote_runtime.h"

static uint8_t *read_file(const char *path, uint32_t *length) {
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  /* 8-byte aligned, as a board's blob buffer is. */
  uint8_t *data = aligned_alloc(8, (size_t)(size + 8) & ~(size_t)7);
  if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) { fclose(f); free(data); return 0; }
  fclose(f);
  *length = (uint32_t)size;
  return data;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s <model.blob> <inputs.bin> <outputs.bin>\n", argv[0]);
    return 2;
  }
  uint32_t blob_length = 0, input_length = 0, offset = 0;
  uint8_t *blob = read_file(argv[1], &blob_length);
  uint8_t *inputs = read_file(argv[2], &input_length);
  if (!blob || !inputs) { fprintf(stderr, "cannot read %s or %s\n", argv[1], argv[2]); free(blob); free(inputs); return 2; }
  enum mote_rt_status status = mote_rt_load(blob, blob_length, &offset);
  if (status != MOTE_RT_OK) {
    /* Flushed before exit: a leak checker's exit handler must not drop the one line the caller reads. */
    printf("load failed: status %d at byte %u\n", (int)status, (unsigned)offset);
    fflush(stdout);
    free(blob); free(inputs);
    return 3;
  }
  const mote_rt_info *m = mote_rt_model();
  const uint32_t in_bytes = m->input_elements * m->bits / 8u, out_bytes = m->output_elements * m->bits / 8u;
  if (input_length % in_bytes != 0) { fprintf(stderr, "%s: %u bytes are not whole vectors of %u bytes\n", argv[2], (unsigned)input_length, (unsigned)in_bytes); free(blob); free(inputs); return 2; }
  FILE *out = fopen(argv[3], "wb");
  if (!out) return 2;
  uint8_t *input = aligned_alloc(8, (in_bytes + 7u) & ~7u);
  uint8_t *output = aligned_alloc(8, (out_bytes + 7u) & ~7u);
  for (uint32_t at = 0; at < input_length; at += in_bytes) {
    for (uint32_t i = 0; i < in_bytes; i++) input[i] = inputs[at + i];
    mote_rt_run(input, output);
    if (fwrite(output, 1, out_bytes, out) != out_bytes) return 2;
  }
  if (fclose(out) != 0) return 2;
  free(input); free(output); free(blob); free(inputs);
  return 0;
}
