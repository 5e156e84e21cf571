#include "mote_eval.h"

/* Distinct side effects keep the compiler from merging the two markers into one address. */
volatile uint32_t mote_mark_state;

__attribute__((noinline, used)) void mote_mark_begin(void) { mote_mark_state = 1u; }
__attribute__((noinline, used)) void mote_mark_end(void) { mote_mark_state = 2u; }
