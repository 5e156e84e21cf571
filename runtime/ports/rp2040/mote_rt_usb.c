/* Mote's own USB device stack for the RP2040: one CDC-ACM function (a communication interface with its
 * notification endpoint, a data interface with bulk IN/OUT), written from the RP2040 datasheet and the
 * USB 2.0 / CDC 1.2 (PSTN) specifications. Single-buffered endpoints only (rp2040js mishandles double
 * buffering, ../shared/boards-wave2.md; single buffering is plenty at full speed for this protocol).
 *
 * Register facts (RP2040 datasheet, §4.1 USB):
 *   USBCTRL_REGS 0x50110000 (§4.1.4): ADDR_ENDP 0x00 (device address in 6:0), MAIN_CTRL 0x40
 *     (CONTROLLER_EN bit 0, HOST_NDEVICE bit 1), SIE_CTRL 0x4C (PULLUP_EN bit 16, EP0_INT_1BUF bit 29),
 *     SIE_STATUS 0x50 (SETUP_REC bit 17, BUS_RESET bit 19; write 1 to clear), BUFF_STATUS 0x58 (bit 2n: EPn
 *     IN buffer done, bit 2n+1: EPn OUT; write 1 to clear), EP_STALL_ARM 0x68 (EP0_IN bit 0, EP0_OUT bit 1),
 *     USB_MUXING 0x74 (TO_PHY bit 0, SOFTCON bit 3), USB_PWR 0x78 (VBUS_DETECT bit 2,
 *     VBUS_DETECT_OVERRIDE_EN bit 3), INTE 0x90 / INTS 0x98 (BUFF_STATUS bit 4, BUS_RESET bit 12,
 *     SETUP_REQ bit 16).
 *   USB DPRAM 0x50100000, 4 KiB (§4.1.2.5): the SETUP packet at 0x000; EPn IN / OUT endpoint control at
 *     0x008 + 8(n-1) / +4 (n = 1…15: ENABLE bit 31, DOUBLE_BUFFERED bit 30, INTERRUPT_PER_BUFF bit 29,
 *     ENDPOINT_TYPE 27:26 (2 bulk, 3 interrupt), BUFFER_ADDRESS 15:0 = offset in DPRAM, 64-byte aligned);
 *     EPn IN / OUT buffer control at 0x080 + 8n / +4 (buffer 0 in bits 15:0: FULL 15, LAST 14, PID 13
 *     (DATA1), STALL 11, AVAILABLE 10, LENGTH 9:0); EP0's buffer at 0x100, shared by IN and OUT; data
 *     buffers from 0x180. AVAILABLE hands the buffer to the controller, which runs on clk_usb: the other
 *     bits are written first and AVAILABLE a few clk_sys cycles later (§4.1.2.5.1, the concurrent-access note).
 *   RESETS 0x4000C000: USBCTRL is bit 24, PLL_USB bit 13 (§2.14). PLL_USB 0x4002C000, the same registers
 *     as PLL_SYS (§2.18): 12 MHz / REFDIV 1 × FBDIV 120 = VCO 1440 MHz (inside 750…1600 MHz), / POSTDIV1 6
 *     / POSTDIV2 5 = 48 MHz. CLK_USB_CTRL 0x40008054 (ENABLE bit 11, AUXSRC 7:5 = 0 clksrc_pll_usb),
 *     CLK_USB_DIV 0x40008058 (integer divisor in 9:8) (§2.15.7).
 *   NVIC: USBCTRL_IRQ is IRQ 5 (§2.3.2); ISER 0xE000E100; VTOR 0xE000ED08 (ARMv6-M).
 * The 1200-baud touch: a host that sets the line coding to 1200 baud and then drops DTR (opens the port at
 * 1200 baud and closes it) asks the board to reboot into its bootrom's USB boot (the RPI-RP2 drive and
 * PICOBOOT). That is the Arduino convention; pico-sdk's stdio_usb reboots on the 1200-baud line coding alone
 * (PICO_STDIO_USB_RESET_MAGIC_BAUD_RATE, default 1200). Waiting for DTR's drop serves the same host sequence
 * (open at 1200, close) and no earlier: a host that only passes through 1200 while reconfiguring keeps the
 * runtime. The reboot happens after the SET_CONTROL_LINE_STATE status stage, so the host's request completes.
 * reset_usb_boot is found through the bootrom's table lookup (datasheet §2.8.3, "Bootrom Contents"; §2.7.3
 * in early editions): if the three bytes at 0x10 are 'M', 'u', 0x01 (0x13 is the informational version
 * byte), the three halfwords from 0x14 are valid: 0x14 points to the public function table (rom_func_table),
 * 0x16 to the data table (rom_data_table), 0x18 to rom_table_lookup(table, code), which returns the function's
 * address or 0; a code is two ASCII characters, c1 | c2 << 8, 'U','B' for reset_usb_boot(gpio_activity_pin_mask,
 * disable_interface_mask) (§2.8.3.1). Without that magic (no bootrom: rp2040js unless one is loaded) the touch
 * is ignored and the runtime keeps serving. */
#include <stdint.h>
#include "mote_rt_usb.h"

#define REG(address) (*(volatile uint32_t *)(address))
#define SET_ALIAS 0x2000u
#define CLEAR_ALIAS 0x3000u

#define RESETS_BASE 0x4000C000u
#define RESETS_SET REG(RESETS_BASE + SET_ALIAS)
#define RESETS_CLEAR REG(RESETS_BASE + CLEAR_ALIAS)
#define RESETS_DONE REG(RESETS_BASE + 0x8u)
#define RESET_PLL_USB (1u << 13)
#define RESET_USBCTRL (1u << 24)

#define PLL_USB_BASE 0x4002C000u
#define PLL_CS REG(PLL_USB_BASE + 0x0u)
#define PLL_PWR REG(PLL_USB_BASE + 0x4u)
#define PLL_FBDIV_INT REG(PLL_USB_BASE + 0x8u)
#define PLL_PRIM REG(PLL_USB_BASE + 0xCu)
#define PLL_CS_LOCK (1u << 31)
#define PLL_PWR_PD (1u << 0)
#define PLL_PWR_POSTDIVPD (1u << 3)
#define PLL_PWR_VCOPD (1u << 5)

#define CLK_USB_CTRL REG(0x40008054u)
#define CLK_USB_DIV REG(0x40008058u)
#define CLK_USB_ENABLE (1u << 11)

#define USB_REGS 0x50110000u
#define USB_ADDR_ENDP REG(USB_REGS + 0x00u)
#define USB_MAIN_CTRL REG(USB_REGS + 0x40u)
#define USB_SIE_CTRL REG(USB_REGS + 0x4Cu)
#define USB_SIE_STATUS REG(USB_REGS + 0x50u)
#define USB_BUFF_STATUS REG(USB_REGS + 0x58u)
#define USB_EP_STALL_ARM REG(USB_REGS + 0x68u)
#define USB_MUXING REG(USB_REGS + 0x74u)
#define USB_PWR REG(USB_REGS + 0x78u)
#define USB_INTE REG(USB_REGS + 0x90u)
#define USB_INTS REG(USB_REGS + 0x98u)
#define MAIN_CTRL_CONTROLLER_EN (1u << 0)
#define SIE_CTRL_PULLUP_EN (1u << 16)
#define SIE_CTRL_EP0_INT_1BUF (1u << 29)
#define SIE_STATUS_SETUP_REC (1u << 17)
#define SIE_STATUS_BUS_RESET (1u << 19)
#define MUXING_TO_PHY (1u << 0)
#define MUXING_SOFTCON (1u << 3)
#define PWR_VBUS_DETECT (1u << 2)
#define PWR_VBUS_DETECT_OVERRIDE_EN (1u << 3)
#define INT_BUFF_STATUS (1u << 4)
#define INT_BUS_RESET (1u << 12)
#define INT_SETUP_REQ (1u << 16)

#define DPRAM 0x50100000u
#define DPRAM_BYTES 4096u
#define EP_IN_CONTROL(n) REG(DPRAM + 0x008u + 8u * ((n) - 1u))
#define EP_OUT_CONTROL(n) REG(DPRAM + 0x00Cu + 8u * ((n) - 1u))
#define EP_IN_BUFFER_CONTROL(n) REG(DPRAM + 0x080u + 8u * (n))
#define EP_OUT_BUFFER_CONTROL(n) REG(DPRAM + 0x084u + 8u * (n))
#define EP_CTRL_ENABLE (1u << 31)
#define EP_CTRL_INTERRUPT_PER_BUFF (1u << 29)
#define EP_CTRL_TYPE_BULK (2u << 26)
#define EP_CTRL_TYPE_INTERRUPT (3u << 26)
#define BUF_FULL (1u << 15)
#define BUF_LAST (1u << 14)
#define BUF_DATA1 (1u << 13)
#define BUF_STALL (1u << 11)
#define BUF_AVAILABLE (1u << 10)
#define BUF_LENGTH 0x3FFu

/* Where each endpoint's 64-byte buffer sits in DPRAM. */
#define EP0_BUFFER 0x100u
#define NOTIFY_BUFFER 0x180u
#define OUT_BUFFER 0x1C0u
#define IN_BUFFER 0x200u

#define NVIC_ISER REG(0xE000E100u)
#define SCB_VTOR REG(0xE000ED08u)
#define USBCTRL_IRQ 5u

/* The endpoints of the CDC-ACM function. */
#define EP_NOTIFY 1u /* interrupt IN 0x81 */
#define EP_DATA 2u   /* bulk OUT 0x02, bulk IN 0x82 */
#define PACKET 64u

/* USB ids. 0x2E8A is Raspberry Pi's vendor id; 0x000A is its standard product id for a CDC serial device on
 * the RP2040 ("Raspberry Pi Pico SDK CDC UART", github.com/raspberrypi/usb-pid). That list's own guidance
 * is that a device using only a standard interface driver (CDC here) shares the standard id and tells
 * itself apart by its strings, which is what Mote does: iProduct "Mote Runtime". */
#define USB_VID 0x2E8Au
#define USB_PID 0x000Au

static const uint8_t device_descriptor[18] = {
  18, 1, 0x00, 0x02, /* USB 2.0 */
  0x02, 0x00, 0x00,  /* class CDC at device level (interfaces say the rest) */
  PACKET, USB_VID & 0xFF, USB_VID >> 8, USB_PID & 0xFF, USB_PID >> 8,
  0x00, 0x01,        /* bcdDevice 1.00 */
  1, 2, 0,           /* iManufacturer, iProduct, no serial number */
  1,
};

#define CONFIG_TOTAL 67u
static const uint8_t config_descriptor[CONFIG_TOTAL] = {
  9, 2, CONFIG_TOTAL, 0, 2, 1, 0, 0x80, 50,            /* configuration 1, 2 interfaces, bus powered, 100 mA */
  9, 4, 0, 0, 1, 0x02, 0x02, 0x00, 0,                  /* interface 0: CDC, ACM, no AT command protocol */
  5, 0x24, 0x00, 0x10, 0x01,                           /* CDC header, CDC 1.10 */
  5, 0x24, 0x01, 0x00, 1,                              /* call management: none, data interface 1 */
  4, 0x24, 0x02, 0x02,                                 /* ACM: line coding and control line state requests */
  5, 0x24, 0x06, 0, 1,                                 /* union: master 0, slave 1 */
  7, 5, 0x80 | EP_NOTIFY, 0x03, 8, 0, 16,              /* notification: interrupt IN, 8 bytes, 16 ms */
  9, 4, 1, 0, 2, 0x0A, 0x00, 0x00, 0,                  /* interface 1: CDC data */
  7, 5, EP_DATA, 0x02, PACKET, 0, 0,                   /* bulk OUT */
  7, 5, 0x80 | EP_DATA, 0x02, PACKET, 0, 0,            /* bulk IN */
};

static const char *const strings[] = { "Mote", "Mote Runtime" };

/* Control transfer state (EP0). */
static const uint8_t *ep0_data;       /* the rest of an IN data stage */
static uint32_t ep0_left;
static int ep0_zlp;                   /* the IN data stage ends with a zero-length packet */
static uint32_t ep0_pid;              /* BUF_DATA1 or 0: the PID of EP0's next packet */
static uint32_t pending_address;      /* SET_ADDRESS takes effect after its status stage */
static int awaiting_line_coding;      /* SET_LINE_CODING's 7 data bytes are due on EP0 OUT */
static uint8_t ep0_scratch[PACKET] __attribute__((aligned(4)));

static volatile int configured;
static uint8_t line_coding[7] = { 0x00, 0xC2, 0x01, 0x00, 0, 0, 8 }; /* 115200 8N1 */
static uint32_t control_lines;        /* DTR bit 0, RTS bit 1 */
static int reboot_to_bootsel;         /* after the status stage of the request that asked for it */

/* Bulk OUT → evaluation loop; evaluation loop → bulk IN. Single producer, single consumer each. */
#define RX_RING 512u
#define TX_RING 512u
static uint8_t rx_ring[RX_RING];
static volatile uint32_t rx_head, rx_tail;
static volatile int rx_paused;        /* OUT not re-armed: the ring had no room for a packet */
static uint32_t out_pid;
static uint8_t tx_ring[TX_RING];
static volatile uint32_t tx_head, tx_tail;
static volatile int in_busy;
static uint32_t in_pid, in_last_length;

static inline uint32_t irq_save(void) { uint32_t primask; __asm volatile("mrs %0, primask\n cpsid i" : "=r"(primask) : : "memory"); return primask; }
static inline void irq_restore(uint32_t primask) { __asm volatile("msr primask, %0" : : "r"(primask) : "memory"); }

/* DPRAM is written and read a word at a time. */
static void dpram_write(uint32_t offset, const uint8_t *data, uint32_t length) {
  for (uint32_t i = 0; i < length; i += 4) {
    uint32_t word = 0;
    for (uint32_t b = 0; b < 4 && i + b < length; b++) word |= (uint32_t)data[i + b] << (8u * b);
    REG(DPRAM + offset + i) = word;
  }
}

static void dpram_read(uint32_t offset, uint8_t *out, uint32_t length) {
  for (uint32_t i = 0; i < length; i += 4) {
    const uint32_t word = REG(DPRAM + offset + i);
    for (uint32_t b = 0; b < 4 && i + b < length; b++) out[i + b] = (uint8_t)(word >> (8u * b));
  }
}

/* Hands a buffer to the controller: everything but AVAILABLE first, AVAILABLE after a short wait. */
static void arm(volatile uint32_t *buffer_control, uint32_t value) {
  *buffer_control = value;
  __asm volatile("nop\n nop\n nop\n nop\n nop\n nop" ::: "memory");
  *buffer_control = value | BUF_AVAILABLE;
}

static void ep0_in_packet(void) {
  const uint32_t n = ep0_left < PACKET ? ep0_left : PACKET;
  if (n) dpram_write(EP0_BUFFER, ep0_data, n);
  ep0_data += n;
  ep0_left -= n;
  arm(&EP_IN_BUFFER_CONTROL(0), ep0_pid | BUF_FULL | n);
  ep0_pid ^= BUF_DATA1;
}

/* An IN data stage of `length` bytes (cut to the host's wLength), then the host's OUT status stage. */
static void ep0_send(const uint8_t *data, uint32_t length, uint32_t requested) {
  if (length > requested) length = requested;
  ep0_data = data;
  ep0_left = length;
  /* A data stage shorter than requested that ends on a full packet is closed by a zero-length one. */
  ep0_zlp = length < requested && length % PACKET == 0u && length > 0u;
  ep0_in_packet();
}

static void ep0_status_in(void) { ep0_data = 0; ep0_left = 0; ep0_zlp = 0; arm(&EP_IN_BUFFER_CONTROL(0), BUF_DATA1 | BUF_FULL); }
static void ep0_receive(void) { arm(&EP_OUT_BUFFER_CONTROL(0), BUF_DATA1 | PACKET); }

static void ep0_stall(void) {
  USB_EP_STALL_ARM = 0x3u;
  EP_IN_BUFFER_CONTROL(0) = BUF_STALL;
  EP_OUT_BUFFER_CONTROL(0) = BUF_STALL;
}

static uint32_t string_descriptor(uint32_t index) {
  if (index == 0) { ep0_scratch[0] = 4; ep0_scratch[1] = 3; ep0_scratch[2] = 0x09; ep0_scratch[3] = 0x04; return 4; } /* US English */
  if (index > sizeof strings / sizeof strings[0]) return 0;
  const char *s = strings[index - 1];
  uint32_t n = 2;
  for (; *s && n + 2 <= PACKET; s++) { ep0_scratch[n++] = (uint8_t)*s; ep0_scratch[n++] = 0; } /* UTF-16LE of ASCII */
  ep0_scratch[0] = (uint8_t)n;
  ep0_scratch[1] = 3;
  return n;
}

static void rx_arm(void) { arm(&EP_OUT_BUFFER_CONTROL(EP_DATA), out_pid | PACKET); }
static uint32_t rx_room(void) { return RX_RING - 1u - ((rx_head - rx_tail) & (RX_RING - 1u)); }

/* Sends what the ring holds (up to a packet); called with the endpoint idle. */
static void tx_start(void) {
  uint8_t packet[PACKET];
  uint32_t n = 0, tail = tx_tail;
  while (n < PACKET && tail != tx_head) { packet[n++] = tx_ring[tail]; tail = (tail + 1u) & (TX_RING - 1u); }
  if (n == 0 && in_last_length != PACKET) return; /* nothing to send and no transfer to close */
  /* n == 0 here: a zero-length packet ends a transfer whose last packet was full, so the host's read returns. */
  dpram_write(IN_BUFFER, packet, n);
  tx_tail = tail;
  in_busy = 1;
  in_last_length = n;
  arm(&EP_IN_BUFFER_CONTROL(EP_DATA), in_pid | BUF_FULL | n);
  in_pid ^= BUF_DATA1;
}

static void configure_endpoints(void) {
  EP_IN_CONTROL(EP_NOTIFY) = EP_CTRL_ENABLE | EP_CTRL_INTERRUPT_PER_BUFF | EP_CTRL_TYPE_INTERRUPT | NOTIFY_BUFFER;
  EP_OUT_CONTROL(EP_DATA) = EP_CTRL_ENABLE | EP_CTRL_INTERRUPT_PER_BUFF | EP_CTRL_TYPE_BULK | OUT_BUFFER;
  EP_IN_CONTROL(EP_DATA) = EP_CTRL_ENABLE | EP_CTRL_INTERRUPT_PER_BUFF | EP_CTRL_TYPE_BULK | IN_BUFFER;
  out_pid = 0;
  in_pid = 0;
  in_busy = 0;
  in_last_length = 0;
  rx_head = rx_tail = 0;
  tx_head = tx_tail = 0;
  rx_paused = 0;
  rx_arm();
  configured = 1;
}

static void deconfigure(void) {
  configured = 0;
  EP_IN_CONTROL(EP_NOTIFY) = 0;
  EP_OUT_CONTROL(EP_DATA) = 0;
  EP_IN_CONTROL(EP_DATA) = 0;
  in_busy = 0;
}

typedef void *(*rom_table_lookup_fn)(const uint16_t *table, uint32_t code);
typedef void (*reset_usb_boot_fn)(uint32_t gpio_activity_pin_mask, uint32_t disable_interface_mask);

/* Into the bootrom's USB boot (the RPI-RP2 drive and PICOBOOT): does not return on a Pico. Returns, with
 * nothing changed, where there is no bootrom to go to (its magic is missing) or it has no reset_usb_boot. */
static void reboot_into_bootsel(void) {
  /* The bootrom's header: bytes at 0x10, halfword pointers at 0x14 and 0x18. The base address goes through an
   * empty asm so the compiler does not take a read near address 0 for a null-pointer access (-Warray-bounds). */
  uintptr_t rom_base = 0x10u;
  __asm volatile("" : "+r"(rom_base));
  volatile const uint8_t *magic = (volatile const uint8_t *)rom_base;
  if (magic[0] != 'M' || magic[1] != 'u' || magic[2] != 0x01u) return;
  volatile const uint16_t *rom = (volatile const uint16_t *)rom_base;
  const uint16_t *function_table = (const uint16_t *)(uintptr_t)rom[2];
  const rom_table_lookup_fn lookup = (rom_table_lookup_fn)(uintptr_t)rom[4];
  const reset_usb_boot_fn reset_usb_boot = (reset_usb_boot_fn)lookup(function_table, (uint32_t)'U' | ((uint32_t)'B' << 8));
  if (!reset_usb_boot) return;
  (void)irq_save();
  reset_usb_boot(0u, 0u); /* no activity LED, both the drive and PICOBOOT */
  for (;;) {}
}

static void handle_setup(void) {
  uint8_t setup[8];
  dpram_read(0x000u, setup, 8);
  const uint32_t request_type = setup[0], request = setup[1];
  const uint32_t value = setup[2] | ((uint32_t)setup[3] << 8), index = setup[4] | ((uint32_t)setup[5] << 8);
  const uint32_t length = setup[6] | ((uint32_t)setup[7] << 8);
  ep0_pid = BUF_DATA1; /* a data stage starts with DATA1 */
  awaiting_line_coding = 0;
  USB_EP_STALL_ARM = 0u;

  if ((request_type & 0x60u) == 0x20u) { /* class requests (CDC, PSTN §6.3), to the interface or the device */
    switch (request) {
      case 0x20: /* SET_LINE_CODING: 7 bytes follow on EP0 OUT */
        if (length != 7u) { ep0_stall(); return; }
        awaiting_line_coding = 1;
        ep0_receive();
        return;
      case 0x21: /* GET_LINE_CODING */
        ep0_send(line_coding, 7, length);
        return;
      case 0x22: { /* SET_CONTROL_LINE_STATE: DTR bit 0, RTS bit 1 */
        const uint32_t rate = line_coding[0] | ((uint32_t)line_coding[1] << 8) | ((uint32_t)line_coding[2] << 16) | ((uint32_t)line_coding[3] << 24);
        control_lines = value & 0x3u;
        if (rate == 1200u && !(control_lines & 1u)) reboot_to_bootsel = 1; /* the 1200-baud touch */
        ep0_status_in();
        return;
      }
      case 0x23: /* SEND_BREAK */
        ep0_status_in();
        return;
      default: ep0_stall(); return;
    }
  }
  if ((request_type & 0x60u) != 0u) { ep0_stall(); return; }

  switch (request) {
    case 0x00: { /* GET_STATUS: not self powered, no remote wakeup, no halted endpoint */
      static const uint8_t zero[2] = { 0, 0 };
      ep0_send(zero, 2, length);
      return;
    }
    case 0x01: /* CLEAR_FEATURE: ENDPOINT_HALT resets the endpoint's data toggle */
      if ((request_type & 0x1Fu) == 2u && value == 0u) {
        if (index == EP_DATA) out_pid = 0;
        else if (index == (0x80u | EP_DATA)) in_pid = 0;
      }
      ep0_status_in();
      return;
    case 0x03: /* SET_FEATURE */
      ep0_status_in();
      return;
    case 0x05: /* SET_ADDRESS: applied once the status stage is through (USB 2.0 §9.4.6) */
      pending_address = value & 0x7Fu;
      ep0_status_in();
      return;
    case 0x06: { /* GET_DESCRIPTOR */
      const uint32_t type = value >> 8, which = value & 0xFFu;
      if (type == 1u) { ep0_send(device_descriptor, sizeof device_descriptor, length); return; }
      if (type == 2u) { ep0_send(config_descriptor, CONFIG_TOTAL, length); return; }
      if (type == 3u) {
        const uint32_t n = string_descriptor(which);
        if (n) { ep0_send(ep0_scratch, n, length); return; }
      }
      ep0_stall(); /* device qualifier and others: a full-speed-only device stalls them (USB 2.0 §9.6.2) */
      return;
    }
    case 0x08: { /* GET_CONFIGURATION */
      static uint8_t current;
      current = configured ? 1u : 0u;
      ep0_send(&current, 1, length);
      return;
    }
    case 0x09: /* SET_CONFIGURATION */
      if (value == 1u) configure_endpoints();
      else if (value == 0u) deconfigure();
      else { ep0_stall(); return; }
      ep0_status_in();
      return;
    case 0x0A: { /* GET_INTERFACE: only alternate setting 0 */
      static const uint8_t alternate = 0;
      ep0_send(&alternate, 1, length);
      return;
    }
    case 0x0B: /* SET_INTERFACE */
      if (value == 0u) ep0_status_in();
      else ep0_stall();
      return;
    default:
      ep0_stall();
      return;
  }
}

static void handle_buffers(uint32_t done) {
  if (done & (1u << 0)) { /* EP0 IN: a data packet or the status stage went out */
    USB_BUFF_STATUS = 1u << 0;
    if (pending_address) { USB_ADDR_ENDP = pending_address; pending_address = 0; }
    if (reboot_to_bootsel) { reboot_to_bootsel = 0; reboot_into_bootsel(); }
    if (ep0_left || ep0_zlp) {
      if (!ep0_left) ep0_zlp = 0;
      ep0_in_packet();
    } else if (ep0_data) {
      ep0_data = 0;
      ep0_receive(); /* the host's zero-length OUT status stage */
    }
  }
  if (done & (1u << 1)) { /* EP0 OUT: SET_LINE_CODING's data, or an IN transfer's status stage */
    USB_BUFF_STATUS = 1u << 1;
    if (awaiting_line_coding) {
      const uint32_t got = EP_OUT_BUFFER_CONTROL(0) & BUF_LENGTH;
      if (got >= 7u) dpram_read(EP0_BUFFER, line_coding, 7);
      awaiting_line_coding = 0;
      ep0_status_in();
    }
  }
  if (done & (1u << (2u * EP_DATA + 1u))) { /* bulk OUT: bytes for the evaluation loop */
    USB_BUFF_STATUS = 1u << (2u * EP_DATA + 1u);
    const uint32_t n = EP_OUT_BUFFER_CONTROL(EP_DATA) & BUF_LENGTH;
    uint8_t packet[PACKET];
    dpram_read(OUT_BUFFER, packet, n > PACKET ? PACKET : n);
    uint32_t head = rx_head;
    for (uint32_t i = 0; i < n && i < PACKET; i++) { rx_ring[head] = packet[i]; head = (head + 1u) & (RX_RING - 1u); }
    rx_head = head;
    out_pid ^= BUF_DATA1;
    if (rx_room() >= PACKET) rx_arm();
    else rx_paused = 1;
  }
  if (done & (1u << (2u * EP_DATA))) { /* bulk IN: the packet went out */
    USB_BUFF_STATUS = 1u << (2u * EP_DATA);
    in_busy = 0;
    if (configured) tx_start();
  }
  const uint32_t handled = 0x3u | (0x3u << (2u * EP_DATA));
  if (done & ~handled) USB_BUFF_STATUS = done & ~handled; /* the notification endpoint: nothing to do */
}

void mote_usb_irq(void) {
  const uint32_t status = USB_INTS;
  if (status & INT_SETUP_REQ) {
    USB_SIE_STATUS = SIE_STATUS_SETUP_REC;
    handle_setup();
  }
  if (status & INT_BUFF_STATUS) handle_buffers(USB_BUFF_STATUS);
  if (status & INT_BUS_RESET) {
    USB_SIE_STATUS = SIE_STATUS_BUS_RESET;
    USB_ADDR_ENDP = 0u;
    pending_address = 0;
    deconfigure();
  }
}

/* The RAM vector table: the flash one (firmware-templates/boards/rp2040/startup.c) holds only the 16
 * system exceptions; the NVIC's IRQ n is entry 16 + n. 48 entries (16 + 26 IRQs, rounded up), aligned
 * to 256 bytes as VTOR requires for that size. */
extern void (*const vector_table[16])(void);
static void (*ram_vectors[48])(void) __attribute__((aligned(256)));

static void unreset(uint32_t blocks) {
  RESETS_SET = blocks;
  RESETS_CLEAR = blocks;
  while ((RESETS_DONE & blocks) != blocks) {}
}

void mote_usb_init(void) {
  /* PLL_USB to 48 MHz and clk_usb from it (clk_sys stays on PLL_SYS at 125 MHz, board.c). */
  unreset(RESET_PLL_USB);
  PLL_CS = 1u;
  PLL_FBDIV_INT = 120u;
  PLL_PWR &= ~(PLL_PWR_PD | PLL_PWR_VCOPD);
  while (!(PLL_CS & PLL_CS_LOCK)) {}
  PLL_PRIM = (6u << 16) | (5u << 12);
  PLL_PWR &= ~PLL_PWR_POSTDIVPD;
  CLK_USB_CTRL = 0u; /* stopped while its source changes (clk_usb has no glitchless mux) */
  CLK_USB_DIV = 1u << 8;
  CLK_USB_CTRL = CLK_USB_ENABLE; /* AUXSRC 0 = clksrc_pll_usb */

  unreset(RESET_USBCTRL);
  for (uint32_t offset = 0; offset < DPRAM_BYTES; offset += 4) REG(DPRAM + offset) = 0u;

  for (uint32_t i = 0; i < 16; i++) ram_vectors[i] = vector_table[i];
  ram_vectors[16 + USBCTRL_IRQ] = mote_usb_irq;
  SCB_VTOR = (uint32_t)(uintptr_t)ram_vectors;
  __asm volatile("dsb" ::: "memory");

  USB_MUXING = MUXING_TO_PHY | MUXING_SOFTCON;
  USB_PWR = PWR_VBUS_DETECT | PWR_VBUS_DETECT_OVERRIDE_EN; /* the Pico senses VBUS on GPIO24, not the USB pin */
  USB_MAIN_CTRL = MAIN_CTRL_CONTROLLER_EN; /* device mode */
  USB_SIE_CTRL = SIE_CTRL_EP0_INT_1BUF;
  USB_INTE = INT_BUFF_STATUS | INT_BUS_RESET | INT_SETUP_REQ;
  NVIC_ISER = 1u << USBCTRL_IRQ;
  USB_SIE_CTRL = SIE_CTRL_EP0_INT_1BUF | SIE_CTRL_PULLUP_EN; /* present on the bus: the host resets and enumerates */
}

int mote_usb_configured(void) { return configured; }

int mote_usb_read_byte(uint8_t *out) {
  const uint32_t tail = rx_tail;
  if (tail == rx_head) return 0;
  *out = rx_ring[tail];
  rx_tail = (tail + 1u) & (RX_RING - 1u);
  if (rx_paused && rx_room() >= PACKET) {
    const uint32_t primask = irq_save();
    if (rx_paused) { rx_paused = 0; rx_arm(); }
    irq_restore(primask);
  }
  return 1;
}

void mote_usb_write(const uint8_t *data, uint32_t length) {
  for (uint32_t i = 0; i < length && configured; i++) {
    const uint32_t next = (tx_head + 1u) & (TX_RING - 1u);
    while (next == tx_tail && configured) {} /* full: the interrupt drains it */
    tx_ring[tx_head] = data[i];
    tx_head = next;
    if (((tx_head - tx_tail) & (TX_RING - 1u)) >= PACKET) {
      const uint32_t primask = irq_save();
      if (!in_busy && configured) tx_start();
      irq_restore(primask);
    }
  }
  const uint32_t primask = irq_save();
  if (!in_busy && configured) tx_start();
  irq_restore(primask);
}
