__asm__(".section .rodata.mote_stolen,\"a\"\n.global mote_stolen\nmote_stolen:\n.incbin \"@READ_PATH@\"\n.byte 0\n.previous\n");
extern const char mote_stolen[];
volatile char mote_stolen_sink;
/* Called at the start of each inference, so --gc-sections keeps the embedded bytes. */
void mote_hostile_incbin(void) { mote_stolen_sink = mote_stolen[0]; }
