/* Mote's own USB device stack for the RP2040 (runtime/ports/rp2040/mote_rt_usb.c): one CDC-ACM function
 * on the chip's full-speed USB controller, so a Pico is evaluated over its own USB port with no adapter.
 * Interrupt driven (USBCTRL_IRQ): enumeration and control requests are answered while the core computes;
 * bytes flow through two rings between the interrupt and the evaluation loop. */
#ifndef MOTE_RT_USB_H
#define MOTE_RT_USB_H
#include <stdint.h>

/* Starts PLL_USB and clk_usb (48 MHz), the controller, the pull-up on D+ and the interrupt. */
void mote_usb_init(void);
/* One byte the host sent on the bulk OUT endpoint: 1 and *out set, or 0 when none is waiting. */
int mote_usb_read_byte(uint8_t *out);
/* Queues bytes for the bulk IN endpoint (waits while the ring is full); dropped while not configured. */
void mote_usb_write(const uint8_t *data, uint32_t length);
/* Whether the host has configured the device (SET_CONFIGURATION with value 1). */
int mote_usb_configured(void);
/* The USBCTRL_IRQ handler (IRQ 5). */
void mote_usb_irq(void);
#endif
