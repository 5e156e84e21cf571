/* QEMU TCG plugin: exact count of guest instructions executed between two marker addresses, and on a
 * Cortex-M4 guest an estimate of the cycles they take.
 *   qemu-system-arm ... -plugin ./libinsncount.so,begin=0x1a4,end=0x1b0,out=/tmp/counts.txt[,cycles=cortex-m4][,classes=/tmp/classes.txt]
 * Every instruction gets an inline 64-bit add; when the `begin` address executes the counter is noted,
 * when `end` executes the difference is appended to `out` as one line. Firmware calls the markers around
 * each inference (firmware-templates/common/mote_marks.c), so each line is one inference.
 *
 * With cycles=cortex-m4 each line is "<instructions> <estimated cycles>". Every Thumb instruction is
 * classified from its encoding (ARMv7-M Architecture Reference Manual, A5 "Thumb instruction set
 * encoding") and weighted with the Cortex-M4 Technical Reference Manual's table 3-1 (and the FPU TRM's
 * table for VFP): the table and its assumptions are bench/cortex-m4-cycles.md. The static part of a cost
 * (including load/store pipelining inside one translation block) is an inline add per instruction; a taken
 * branch's pipeline refill is added when a block starts anywhere but where the previous one fell through.
 * An executed instruction the table does not classify is an error line "error <address> <encoding>" in
 * `out` (the reader refuses the estimate), never a silent 1.
 * classes=FILE writes "<address> <encoding> <class>" for every distinct executed instruction (rewritten at
 * the end of each inference), so
 * the classifier can be checked against arm-none-eabi-objdump (src/core/deploy/cycle-classifier-check.node.ts).
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
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb, enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op, void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb, enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* ---- Cortex-M4 classification (bench/cortex-m4-cycles.md is the table in words) ---- */

enum insn_class {
  CLASS_UNKNOWN, CLASS_ALU, CLASS_MUL, CLASS_DIV, CLASS_LOAD, CLASS_STORE, CLASS_LOAD_DUAL, CLASS_STORE_DUAL,
  CLASS_LOAD_MULTIPLE, CLASS_STORE_MULTIPLE, CLASS_EXCLUSIVE, CLASS_BRANCH, CLASS_TABLE_BRANCH, CLASS_IT,
  CLASS_HINT, CLASS_BARRIER, CLASS_SYSTEM, CLASS_VFP_ALU, CLASS_VFP_MAC, CLASS_VFP_DIV, CLASS_VFP_LOAD,
  CLASS_VFP_STORE, CLASS_VFP_LOAD_MULTIPLE, CLASS_VFP_STORE_MULTIPLE, CLASS_VFP_MOVE,
};

/* The names the objdump check maps mnemonics to; keep in step with cycle-classifier-check.node.ts. */
static const char *const class_names[] = {
  "unknown", "alu", "mul", "div", "load", "store", "load-dual", "store-dual", "load-multiple", "store-multiple",
  "exclusive", "branch", "table-branch", "it", "hint", "barrier", "system", "vfp-alu", "vfp-mac", "vfp-div",
  "vfp-load", "vfp-store", "vfp-load-multiple", "vfp-store-multiple", "vfp-move",
};

/* Pipeline refill of a taken branch: the TRM's P ranges 1–3 (target alignment and width, early
   speculation); the estimate takes the middle. SDIV/UDIV take 2–12 by operand size; the estimate takes 12. */
#define REFILL_CYCLES 2u
#define DIVIDE_CYCLES 12u

struct classified {
  enum insn_class cls;
  unsigned base_cycles;   /* before load/store pipelining */
  bool single_memory;     /* LDR/STR of one register: may pipeline with a neighbour */
  bool register_offset;   /* STR with register offset: the next load/store does not pipeline after it */
  int rt, rn, rm;         /* load destination and address registers (-1 when none) */
};

static unsigned popcount16(unsigned v) { return (unsigned)__builtin_popcount(v & 0xffffu); }

static struct classified make(enum insn_class cls, unsigned cycles) {
  struct classified c = { cls, cycles, false, false, -1, -1, -1 };
  return c;
}

static struct classified memory(enum insn_class cls, int rt, int rn, int rm) {
  struct classified c = { cls, 2, true, rm >= 0 && cls == CLASS_STORE, rt, rn, rm };
  return c;
}

static struct classified classify16(unsigned hw) {
  unsigned top6 = hw >> 10;
  if ((hw >> 14) == 0) return make(CLASS_ALU, 1);                       /* shift, add, sub, mov, cmp (imm) */
  if (top6 == 0x10) return ((hw >> 6) & 0xf) == 0xd ? make(CLASS_MUL, 1) : make(CLASS_ALU, 1); /* data processing; MULS */
  if (top6 == 0x11) {                                                    /* special data, branch exchange */
    if (((hw >> 8) & 3) == 3) return make(CLASS_BRANCH, 1);              /* BX, BLX */
    return make(CLASS_ALU, 1);                                           /* ADD/CMP/MOV high registers (to PC: refill added when taken) */
  }
  if ((hw >> 11) == 0x09) return memory(CLASS_LOAD, (hw >> 8) & 7, 15, -1); /* LDR literal */
  if ((hw >> 12) == 0x5) {                                               /* load/store register offset */
    unsigned op = (hw >> 9) & 7;
    return memory(op <= 2 ? CLASS_STORE : CLASS_LOAD, hw & 7, (hw >> 3) & 7, (hw >> 6) & 7);
  }
  if ((hw >> 13) == 0x3 || (hw >> 12) == 0x8)                            /* STR/LDR(B) imm, STRH/LDRH imm */
    return memory((hw >> 11) & 1 ? CLASS_LOAD : CLASS_STORE, hw & 7, (hw >> 3) & 7, -1);
  if ((hw >> 12) == 0x9) return memory((hw >> 11) & 1 ? CLASS_LOAD : CLASS_STORE, (hw >> 8) & 7, 13, -1); /* SP-relative */
  if ((hw >> 12) == 0xa) return make(CLASS_ALU, 1);                      /* ADR, ADD SP imm */
  if ((hw >> 12) == 0xb) {                                               /* miscellaneous */
    unsigned op = (hw >> 5) & 0x7f;
    if ((op >> 3) == 0x0) return make(CLASS_ALU, 1);                     /* ADD/SUB SP, SP, imm */
    if ((op & 0x28) == 0x08) return make(CLASS_BRANCH, 1);               /* CBZ, CBNZ */
    if ((op >> 3) == 0x2) return make(CLASS_ALU, 1);                     /* SXTH SXTB UXTH UXTB */
    if ((op >> 4) == 0x2) return make(CLASS_STORE_MULTIPLE, 1 + popcount16(hw & 0x1ff)); /* PUSH (bit 8 = LR) */
    if (op == 0x33) return make(CLASS_SYSTEM, 1);                        /* CPS */
    if ((op >> 3) == 0xa && ((hw >> 6) & 3) != 2) return make(CLASS_ALU, 1); /* REV REV16 REVSH */
    if ((op >> 4) == 0x6) return make(CLASS_LOAD_MULTIPLE, 1 + popcount16(hw & 0x1ff)); /* POP (bit 8 = PC) */
    if ((op >> 3) == 0xe) return make(CLASS_SYSTEM, 1);                  /* BKPT */
    if ((op >> 3) == 0xf) return (hw & 0xf) ? make(CLASS_IT, 1) : make(CLASS_HINT, 1); /* IT; NOP YIELD WFE WFI SEV */
    return make(CLASS_UNKNOWN, 0);
  }
  if ((hw >> 11) == 0x18) return make(CLASS_STORE_MULTIPLE, 1 + popcount16(hw & 0xff)); /* STM */
  if ((hw >> 11) == 0x19) return make(CLASS_LOAD_MULTIPLE, 1 + popcount16(hw & 0xff));  /* LDM */
  if ((hw >> 12) == 0xd) {
    unsigned cond = (hw >> 8) & 0xf;
    if (cond == 0xe) return make(CLASS_SYSTEM, 1);                       /* UDF: traps */
    if (cond == 0xf) return make(CLASS_SYSTEM, 1);                       /* SVC */
    return make(CLASS_BRANCH, 1);                                        /* B<cond> */
  }
  if ((hw >> 11) == 0x1c) return make(CLASS_BRANCH, 1);                  /* B */
  return make(CLASS_UNKNOWN, 0);
}

/* Coprocessor space: only the FPU (coprocessors 10 and 11) exists on a Cortex-M4F. */
static struct classified classify_vfp(unsigned hw1, unsigned hw2) {
  unsigned coproc = (hw2 >> 8) & 0xf;
  bool dbl = coproc == 0xb;
  if ((hw1 >> 12) != 0xe || (coproc & 0xe) != 0xa) return make(CLASS_UNKNOWN, 0);
  unsigned op1 = (hw1 >> 4) & 0x3f;
  if ((op1 & 0x3e) == 0) return make(CLASS_UNKNOWN, 0);                 /* 00000x: undefined */
  if ((op1 & 0x20) == 0) {                                               /* extension register load/store, 64-bit moves */
    if ((op1 & 0x3e) == 0x04) return make(CLASS_VFP_MOVE, 2);            /* VMOV two core registers <-> D/two S */
    bool p = (hw1 >> 8) & 1, w = (hw1 >> 5) & 1, load = (hw1 >> 4) & 1;
    if (p && !w) return make(load ? CLASS_VFP_LOAD : CLASS_VFP_STORE, dbl ? 3 : 2); /* VLDR VSTR */
    unsigned words = hw2 & 0xff;                                         /* VLDM VSTM VPUSH VPOP: 1 + one per 32-bit word */
    return make(load ? CLASS_VFP_LOAD_MULTIPLE : CLASS_VFP_STORE_MULTIPLE, 1 + words);
  }
  if ((op1 & 0x30) == 0x30) return make(CLASS_UNKNOWN, 0);
  if ((hw2 >> 4) & 1) return make(CLASS_VFP_MOVE, 1);                     /* VMOV core <-> S, VMRS, VMSR */
  if (dbl) return make(CLASS_UNKNOWN, 0);                                /* double-precision arithmetic: not on an M4F */
  unsigned opc1 = ((hw1 >> 5) & 4) | ((hw1 >> 4) & 3);                   /* bits 23, 21, 20 */
  switch (opc1) {
    case 0: case 1: case 5: case 6: return make(CLASS_VFP_MAC, 3);       /* VMLA VMLS VNMLA VNMLS VFNMA VFNMS VFMA VFMS */
    case 2: case 3: return make(CLASS_VFP_ALU, 1);                       /* VMUL VNMUL VADD VSUB */
    case 4: return make(CLASS_VFP_DIV, 14);                              /* VDIV */
    case 7:
      if (((hw2 >> 6) & 1) == 0) return make(CLASS_VFP_ALU, 1);          /* VMOV immediate */
      if ((hw1 & 0xf) == 1 && ((hw2 >> 7) & 1)) return make(CLASS_VFP_DIV, 14); /* VSQRT */
      return make(CLASS_VFP_ALU, 1);                                     /* VMOV VABS VNEG VCMP VCVT */
    default: return make(CLASS_UNKNOWN, 0);
  }
}

static struct classified classify32(unsigned hw1, unsigned hw2) {
  unsigned op1 = (hw1 >> 11) & 3, op2 = (hw1 >> 4) & 0x7f;
  if (op1 == 1) {
    if ((op2 & 0x64) == 0x00) {                                          /* load/store multiple */
      unsigned op = (hw1 >> 7) & 3;
      if (op == 0 || op == 3) return make(CLASS_UNKNOWN, 0);             /* SRS/RFE: not in ARMv7-M */
      bool load = (hw1 >> 4) & 1;
      return make(load ? CLASS_LOAD_MULTIPLE : CLASS_STORE_MULTIPLE, 1 + popcount16(hw2));
    }
    if ((op2 & 0x64) == 0x04) {                                          /* dual, exclusive, table branch */
      unsigned a = (hw1 >> 7) & 3, b = (hw1 >> 4) & 3;
      if (a == 0 && b < 2) return make(CLASS_EXCLUSIVE, 2);              /* STREX LDREX */
      if ((a < 2 && b == 2) || (a >= 2 && (b & 1) == 0)) return make(CLASS_STORE_DUAL, 3);
      if ((a < 2 && b == 3) || (a >= 2 && (b & 1) == 1)) return make(CLASS_LOAD_DUAL, 3);
      unsigned op3 = (hw2 >> 4) & 0xf;
      if (a == 1 && b == 0 && (op3 == 4 || op3 == 5)) return make(CLASS_EXCLUSIVE, 2); /* STREXB/H */
      if (a == 1 && b == 1 && (op3 == 0 || op3 == 1)) return make(CLASS_TABLE_BRANCH, 2); /* TBB TBH (+ refill) */
      if (a == 1 && b == 1 && (op3 == 4 || op3 == 5)) return make(CLASS_EXCLUSIVE, 2); /* LDREXB/H */
      return make(CLASS_UNKNOWN, 0);
    }
    if ((op2 & 0x60) == 0x20) return make(CLASS_ALU, 1);                 /* data processing (shifted register) */
    return classify_vfp(hw1, hw2);
  }
  if (op1 == 2) {
    if (((hw2 >> 15) & 1) == 0) return make(CLASS_ALU, 1);               /* modified / plain binary immediate */
    unsigned op = (hw2 >> 12) & 7;
    if ((op & 5) == 0) {
      if ((op2 & 0x38) != 0x38) return make(CLASS_BRANCH, 1);            /* B<cond>.W */
      if ((op2 & 0x7e) == 0x38) return make(CLASS_SYSTEM, 1);            /* MSR */
      if (op2 == 0x3a) return make(CLASS_HINT, 1);                       /* NOP.W and other hints */
      if (op2 == 0x3b) return make(CLASS_BARRIER, 1);                    /* DSB DMB ISB CLREX (+ B, minimum 0) */
      if ((op2 & 0x7e) == 0x3e) return make(CLASS_SYSTEM, 1);            /* MRS */
      if (op2 == 0x7f && op == 2) return make(CLASS_SYSTEM, 1);          /* UDF.W */
      return make(CLASS_UNKNOWN, 0);
    }
    if ((op & 5) == 1 || (op & 5) == 5) return make(CLASS_BRANCH, 1);    /* B.W, BL */
    return make(CLASS_UNKNOWN, 0);                                       /* BLX immediate: no ARM state on M */
  }
  /* op1 == 3 */
  unsigned rn = hw1 & 0xf, rt = (hw2 >> 12) & 0xf;
  bool register_offset = ((hw1 >> 7) & 1) == 0 && ((hw2 >> 6) & 0x3f) == 0;
  int rm = register_offset ? (int)(hw2 & 0xf) : -1;
  if ((op2 & 0x71) == 0x00) return memory(CLASS_STORE, (int)rt, (int)rn, rm); /* STRB STRH STR */
  if ((op2 & 0x67) == 0x01 || (op2 & 0x67) == 0x03) {                    /* load byte / halfword, PLD PLI */
    if (rt == 15) return make(CLASS_HINT, 1);
    return memory(CLASS_LOAD, (int)rt, (int)rn, rm);
  }
  if ((op2 & 0x67) == 0x05) return memory(CLASS_LOAD, (int)rt, (int)rn, rm); /* LDR (to PC: refill added when taken) */
  if ((op2 & 0x70) == 0x20) return make(CLASS_ALU, 1);                   /* data processing (register), parallel, misc */
  if ((op2 & 0x78) == 0x30) return make(CLASS_MUL, 1);                   /* MUL MLA MLS SMLA<x><y> SMLAD SMUAD SMMLA USAD8 … */
  if ((op2 & 0x78) == 0x38) {                                            /* long multiply, divide */
    unsigned lop1 = (hw1 >> 4) & 7, lop2 = (hw2 >> 4) & 0xf;
    if ((lop1 == 1 || lop1 == 3) && lop2 == 0xf) return make(CLASS_DIV, DIVIDE_CYCLES);
    return make(CLASS_MUL, 1);                                           /* SMULL UMULL SMLAL SMLAL<x><y> SMLALD SMLSLD UMAAL */
  }
  if (op2 & 0x40) return classify_vfp(hw1, hw2);
  return make(CLASS_UNKNOWN, 0);
}

/* ---- counting ---- */
#ifndef INSNCOUNT_CLASSIFY_MAIN

struct block {
  uint64_t start, fallthrough;  /* first address, and the address right after the last instruction */
};

struct seen_insn {              /* one translated instruction, for classes=FILE and error lines */
  struct seen_insn *next;
  uint64_t address, executions;
  uint32_t encoding;
  enum insn_class cls;
};

static uint64_t executed, cycles;
static uint64_t begin_address, end_address, at_begin, cycles_at_begin;
static uint64_t previous_fallthrough;
static bool inside, estimate_cycles;
static FILE *out;
static const char *classes_path;
static struct seen_insn *seen;  /* every translation's records (stable: inline adds target them) */

static void write_classes(void);

static void on_begin(unsigned int vcpu, void *userdata) {
  (void)vcpu; (void)userdata;
  at_begin = executed;
  cycles_at_begin = cycles;
  inside = true;
}

static void on_end(unsigned int vcpu, void *userdata) {
  (void)vcpu; (void)userdata;
  if (!inside) return;
  inside = false;
  if (estimate_cycles) fprintf(out, "%" PRIu64 " %" PRIu64 "\n", executed - at_begin, cycles - cycles_at_begin);
  else fprintf(out, "%" PRIu64 "\n", executed - at_begin);
  fflush(out);
  if (classes_path) write_classes();
}

/* A block that starts anywhere but where the previous one fell through was reached by a taken branch
   (or an exception): one pipeline refill. A block QEMU cut short (page end, instruction budget) is
   followed by its fall-through and costs nothing. */
static void on_block(unsigned int vcpu, void *userdata) {
  (void)vcpu;
  const struct block *b = userdata;
  if (previous_fallthrough && b->start != previous_fallthrough) cycles += REFILL_CYCLES;
  previous_fallthrough = b->fallthrough;
}

static void on_unknown(unsigned int vcpu, void *userdata) {
  (void)vcpu;
  const struct seen_insn *s = userdata;
  fprintf(out, "error 0x%" PRIx64 " 0x%08" PRIx32 "\n", s->address, s->encoding);
  fflush(out);
}

static void *allocate(size_t size) {
  void *p = calloc(1, size);
  if (!p) { fprintf(stderr, "insncount: out of memory\n"); exit(2); }
  return p;
}

static bool depends_on(const struct classified *c, int reg) {
  return reg >= 0 && (c->rn == reg || c->rm == reg);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  struct classified previous = make(CLASS_UNKNOWN, 0);
  uint64_t fallthrough = 0;
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    uint64_t address = qemu_plugin_insn_vaddr(insn);
    /* The marker callbacks run before the instruction's own count, so `begin` itself is not counted
       and `end` is: the difference is the instructions from begin (exclusive) to end (inclusive). */
    if (address == begin_address) qemu_plugin_register_vcpu_insn_exec_cb(insn, on_begin, QEMU_PLUGIN_CB_NO_REGS, NULL);
    if (address == end_address) qemu_plugin_register_vcpu_insn_exec_cb(insn, on_end, QEMU_PLUGIN_CB_NO_REGS, NULL);
    qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &executed, 1);
    if (!estimate_cycles) continue;

    /* The width comes from the first halfword (ARMv7-M A5.1): QEMU's data can hold one halfword more,
       the look-ahead its Thumb translator makes near a page end. */
    size_t available = qemu_plugin_insn_size(insn);
    const uint8_t *bytes = qemu_plugin_insn_data(insn);
    unsigned hw1 = available >= 2 ? (unsigned)(bytes[0] | bytes[1] << 8) : 0;
    size_t size = (hw1 >> 11) >= 0x1d ? 4 : 2;
    unsigned hw2 = size == 4 && available >= 4 ? (unsigned)(bytes[2] | bytes[3] << 8) : 0;
    struct classified c = available < size ? make(CLASS_UNKNOWN, 0) : size == 4 ? classify32(hw1, hw2) : classify16(hw1);
    unsigned cost = c.base_cycles;
    /* Neighbouring single loads/stores pipeline their address and data phases (TRM 3.3.2): the second
       costs 1, unless it addresses through the register the first loaded, or the first was a
       register-offset store. */
    if (c.single_memory && previous.single_memory && !previous.register_offset
        && !(previous.cls == CLASS_LOAD && depends_on(&c, previous.rt)))
      cost = 1;
    previous = c;
    fallthrough = address + size;

    if (c.cls == CLASS_UNKNOWN || classes_path) {
      struct seen_insn *s = allocate(sizeof *s);
      s->address = address;
      s->encoding = size == 4 ? (uint32_t)(hw1 << 16 | hw2) : hw1;
      s->cls = c.cls;
      s->next = seen;
      seen = s;
      if (c.cls == CLASS_UNKNOWN) qemu_plugin_register_vcpu_insn_exec_cb(insn, on_unknown, QEMU_PLUGIN_CB_NO_REGS, s);
      else qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &s->executions, 1);
    }
    if (cost) qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &cycles, cost);
  }
  if (estimate_cycles && n) {
    struct block *b = allocate(sizeof *b);
    b->start = qemu_plugin_tb_vaddr(tb);
    b->fallthrough = fallthrough;
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_block, QEMU_PLUGIN_CB_NO_REGS, b);
  }
}

static int by_address(const void *a, const void *b) {
  const struct seen_insn *x = *(struct seen_insn *const *)a, *y = *(struct seen_insn *const *)b;
  if (x->address != y->address) return x->address < y->address ? -1 : 1;
  return x->encoding < y->encoding ? -1 : x->encoding > y->encoding;
}

/* One line per distinct executed (address, encoding), sorted by address. Rewritten after every
   inference, because the board is stopped with SIGKILL and the exit callback may never run. */
static void write_classes(void) {
  size_t count = 0;
  for (struct seen_insn *s = seen; s; s = s->next) count++;
  struct seen_insn **all = allocate((count + 1) * sizeof *all);
  size_t k = 0;
  for (struct seen_insn *s = seen; s; s = s->next) all[k++] = s;
  qsort(all, count, sizeof *all, by_address);
  char partial[4096];
  snprintf(partial, sizeof partial, "%s.partial", classes_path);
  FILE *f = fopen(partial, "w");
  if (!f) { fprintf(stderr, "insncount: cannot write %s\n", partial); free(all); return; }
  for (size_t i = 0; i < count;) {
    size_t j = i;
    uint64_t executions = 0;
    while (j < count && all[j]->address == all[i]->address && all[j]->encoding == all[i]->encoding) executions += all[j++]->executions;
    if (executions || all[i]->cls == CLASS_UNKNOWN)
      fprintf(f, "0x%" PRIx64 " 0x%08" PRIx32 " %s\n", all[i]->address, all[i]->encoding, class_names[all[i]->cls]);
    i = j;
  }
  fclose(f);
  rename(partial, classes_path);
  free(all);
}

static void on_plugin_exit(qemu_plugin_id_t id, void *userdata) {
  (void)id; (void)userdata;
  if (classes_path) write_classes();
  if (out && out != stderr) fclose(out);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  const char *path = NULL;
  for (int i = 0; i < argc; i++) {
    if (strncmp(argv[i], "begin=", 6) == 0) begin_address = strtoull(argv[i] + 6, NULL, 0);
    else if (strncmp(argv[i], "end=", 4) == 0) end_address = strtoull(argv[i] + 4, NULL, 0);
    else if (strncmp(argv[i], "out=", 4) == 0) path = argv[i] + 4;
    else if (strcmp(argv[i], "cycles=cortex-m4") == 0) estimate_cycles = true;
    else if (strncmp(argv[i], "classes=", 8) == 0) classes_path = argv[i] + 8;
    else { fprintf(stderr, "insncount: unknown argument '%s' (expected begin=, end=, out=, cycles=cortex-m4, classes=)\n", argv[i]); return -1; }
  }
  if (!begin_address || !end_address) { fprintf(stderr, "insncount: begin= and end= marker addresses are required\n"); return -1; }
  if (estimate_cycles && strcmp(info->target_name, "arm") != 0) {
    fprintf(stderr, "insncount: cycles=cortex-m4 needs an arm guest, not %s\n", info->target_name);
    return -1;
  }
  if (classes_path && !estimate_cycles) { fprintf(stderr, "insncount: classes= needs cycles=cortex-m4\n"); return -1; }
  out = path ? fopen(path, "w") : stderr;
  if (!out) { fprintf(stderr, "insncount: cannot write %s\n", path); return -1; }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
  qemu_plugin_register_atexit_cb(id, on_plugin_exit, NULL);
  return 0;
}

#else
/* A host tool over the same classifier, for tests/firmware/cycle-estimate.test.ts: reads one instruction
   per line as hexadecimal halfwords ("4770" or "f8d0 3000") and prints "<class> <cycles>". */
int main(void) {
  char line[128];
  while (fgets(line, sizeof line, stdin)) {
    unsigned hw1 = 0, hw2 = 0;
    int n = sscanf(line, "%x %x", &hw1, &hw2);
    if (n < 1) continue;
    struct classified c = (hw1 >> 11) >= 0x1d ? (n == 2 ? classify32(hw1, hw2) : make(CLASS_UNKNOWN, 0)) : classify16(hw1);
    printf("%s %u\n", class_names[c.cls], c.base_cycles);
  }
  return 0;
}
#endif
