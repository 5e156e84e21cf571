/* ESP32-C3 (RV32IMC) loaded by its ROM straight into SRAM (Espressif's "simple boot": one app image at
 * flash offset 0, RAM segments only). Serial: UART0 (GPIO21 TX / GPIO20 RX, the devkit's USB-UART bridge)
 * and the chip's USB-Serial-JTAG port, whichever the host talks on. Counter: the C3's machine performance
 * counter (mpccr, CSR 0x7E2) counting core cycles. The firmware leaves the clock as the ROM set it; that
 * frequency is not verified here, so no latency is derived from it. */
#ifndef BOARD_CONFIG_H
#define BOARD_CONFIG_H
#define BOARD_ID "esp32c3"
#define BOARD_CLOCK_HZ 40000000u /* nominal: the clock the ROM hands over is unverified (see above) */
#define BOARD_COUNTER_KIND 1u /* core cycles */
#define BOARD_COUNTER_TO_US(cycles) ((cycles) / (BOARD_CLOCK_HZ / 1000000u))
#ifndef MOTE_RX_BUDGET_BYTES
#define MOTE_RX_BUDGET_BYTES 8192u
#endif
#endif
