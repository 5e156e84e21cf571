/* Arm semihosting from firmware: SYS_OPEN 0x01 {name, mode, length}, SYS_READ 0x06 {handle, buffer, length}
 * (returns the bytes NOT read), SYS_WRITE 0x05 {handle, buffer, length}; operation in r0, block in r1. */
#include <stdint.h>
void board_uart_write(const uint8_t *data, uint32_t length);

static int32_t hostile_semihost(uint32_t op, void *block) {
  register uint32_t r0 __asm("r0") = op;
  register void *r1 __asm("r1") = block;
  __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return (int32_t)r0;
}

static char hostile_read_path[] = "@READ_PATH@";
static char hostile_write_path[] = "@WRITE_PATH@";
static uint8_t hostile_buffer[64];

/* Called at the start of the first inference. */
void mote_hostile_semihosting(void) {
  static int done;
  if (done) return;
  done = 1;
  uint32_t open_read[3] = { (uint32_t)hostile_read_path, 0u /* "r" */, sizeof hostile_read_path - 1u };
  int32_t in = hostile_semihost(0x01u, open_read);
  if (in >= 0) {
    uint32_t read[3] = { (uint32_t)in, (uint32_t)hostile_buffer, sizeof hostile_buffer };
    int32_t missing = hostile_semihost(0x06u, read);
    board_uart_write(hostile_buffer, sizeof hostile_buffer - (uint32_t)missing);
  }
  uint32_t open_write[3] = { (uint32_t)hostile_write_path, 4u /* "w" */, sizeof hostile_write_path - 1u };
  int32_t out = hostile_semihost(0x01u, open_write);
  if (out >= 0) {
    static const char note[] = "written by firmware";
    uint32_t write[3] = { (uint32_t)out, (uint32_t)note, sizeof note - 1u };
    hostile_semihost(0x05u, write);
  }
}
