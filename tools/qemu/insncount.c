/* QEMU TCG plugin: exact count of guest instructions executed between two marker addresses.
 *   qemu-system-arm ... -plugin ./libinsncount.so,begin=0x1a4,end=0x1b0,out=/tmp/counts.txt
 * Every instruction gets an inline 64-bit add; when the `begin` address executes the counter is noted,
 * when `end` executes the difference is appended to `out` as one decimal line. Firmware calls the markers
 * around each inference (firmware-templates/common/mote_marks.c), so each line is one inference.
 *
 * Debian's QEMU 7.2 ships plugin support but no qemu-plugin.h, so the few declarations of plugin API
 * version 1 used here are written out below (their shapes follow QEMU's include/qemu/qemu-plugin.h as of
 * 7.2). Build: gcc -O2 -shared -fPIC -o libinsncount.so insncount.c */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct {
  const char *target_name;
  struct { int min; int cur; } version;
  bool system_emulation;
  union { struct { int smp_vcpus; int max_vcpus; } system; };
} qemu_info_t;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb, enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t executed;
static uint64_t begin_address, end_address, at_begin;
static bool inside;
static FILE *out;

static void on_begin(unsigned int vcpu, void *userdata) {
  (void)vcpu; (void)userdata;
  at_begin = executed;
  inside = true;
}

static void on_end(unsigned int vcpu, void *userdata) {
  (void)vcpu; (void)userdata;
  if (!inside) return;
  inside = false;
  fprintf(out, "%" PRIu64 "\n", executed - at_begin);
  fflush(out);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t address = qemu_plugin_insn_vaddr(insn);
    /* The marker callbacks run before the instruction's own count, so `begin` itself is not counted
       and `end` is: the difference is the instructions from begin (exclusive) to end (inclusive). */
    if (address == begin_address) qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin, QEMU_PLUGIN_CB_NO_REGS, NULL);
    if (address == end_address) qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end, QEMU_PLUGIN_CB_NO_REGS, NULL);
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &executed, 1);
  }
}

static void on_plugin_exit(qemu_plugin_id_t id, void *userdata) {
  (void)id; (void)userdata;
  if (out && out != stderr) fclose(out);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  (void)info;
  const char *path = NULL;
  for (int i = 0; i < argc; i++) {
    if (strncmp(argv[i], "begin=", 6) == 0) begin_address = strtoull(argv[i] + 6, NULL, 0);
    else if (strncmp(argv[i], "end=", 4) == 0) end_address = strtoull(argv[i] + 4, NULL, 0);
    else if (strncmp(argv[i], "out=", 4) == 0) path = argv[i] + 4;
    else { fprintf(stderr, "insncount: unknown argument '%s' (expected begin=, end=, out=)\n", argv[i]); return -1; }
  }
  if (!begin_address || !end_address) { fprintf(stderr, "insncount: begin= and end= marker addresses are required\n"); return -1; }
  out = path ? fopen(path, "w") : stderr;
  if (!out) { fprintf(stderr, "insncount: cannot write %s\n", path); return -1; }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_plugin_exit, NULL);
  return 0;
}
