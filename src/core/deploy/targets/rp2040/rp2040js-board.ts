// The virtual Pico: Mote's RP2040 firmware run by rp2040js (a JavaScript RP2040: Cortex-M0+ core, XIP
// flash, SRAM, clocks, PLL, UART, SysTick), in Node or a browser worker, its UART0 as a byte transport.
//
// rp2040js ships no bootrom, so this module does what the bootrom's flash boot does (RP2040 datasheet
// §2.8.1; boards-reference.md §2.1): check boot2's CRC (a bad one would send a real Pico to BOOTSEL, so it
// is refused here too), copy flash bytes 0…255 to SRAM 0x20041F00, and enter there with LR = 0 and the
// stack below it. From there Mote's own boot2 sets up the SSI and vectors into the application, as on
// the board. What this does not exercise: the bootrom's SSI reads of a real flash chip.
//
// Time: every instruction advances the simulated clock by its cycles at the current clk_sys, so SysTick
// (the firmware's counter) counts rp2040js's cycle model, an estimate rather than silicon timing.
//
// Two links, as on a Pico: UART0 (GP0/GP1, what a USB-UART adapter reaches) or the RP2040's own USB port,
// where the Mote Runtime is a CDC-ACM device (runtime/ports/rp2040/mote_rt_usb.c). For USB the host is
// rp2040js's USBCDC helper (it resets the bus, sets the address, reads the configuration descriptor, finds
// the CDC data interface's bulk endpoints, configures, raises DTR/RTS); this module adds what a computer's
// CDC driver also does and the helper does not: it NAKs the bulk OUT endpoint until it has bytes to send
// (the helper would answer an empty packet at once), and sends the class requests a serial port's open
// and close turn into (SET_LINE_CODING with its 7 data bytes, SET_CONTROL_LINE_STATE).
import { RP2040, USBCDC, type Logger } from 'rp2040js';
import { MoteError } from '../../../base/errors';
import { createMemoryPair, type ByteTransport } from '../../../evaluation/transport';
import { boot2IsValid, BOOT2_BYTES } from './boot2-seal';
import { BOOT2_SRAM_ADDRESS, RP2040_MAX_FLASH_BYTES, RP2040_SRAM_START } from './memory-map';

const UART_FR = 0x18;
const UART_FR_RXFE = 1 << 4;
const UART_FR_RXFF = 1 << 6;
/** Instructions per slice before yielding to the event loop (a few ms of JavaScript). */
const SLICE_INSTRUCTIONS = 200_000;
/** Consecutive reads of an empty receive FIFO after which the firmware is taken to be waiting for input. */
const IDLE_POLLS = 64;

/** The image cannot boot, or the emulated core stopped. */
export class VirtualPicoError extends MoteError {}

/** The host's side of the virtual Pico's USB port (link 'usb'): what a computer's CDC-ACM driver does. */
export interface VirtualPicoUsb {
  /** Resolves once the host has enumerated and configured the device and raised DTR/RTS. */
  readonly configured: Promise<void>;
  /** SET_LINE_CODING (8N1 at `baudRate`), as opening or reconfiguring a serial port sends it; resolves after its status stage. */
  setLineCoding(baudRate: number): Promise<void>;
  /** SET_CONTROL_LINE_STATE: a port's open raises DTR and RTS, its close drops them. */
  setControlLines(dtr: boolean, rts: boolean): Promise<void>;
}

export interface VirtualPico {
  transport: ByteTransport & { readonly isClosed: boolean };
  /** Link 'usb' only: the host's USB controls. */
  usb?: VirtualPicoUsb;
  /** Where the core stopped on a BKPT (the instruction's address), once it has. */
  stoppedAt(): number | undefined;
  /** Resolves with the code the firmware passed to board_exit (BKPT, code in r0), or null when stopped. */
  exited: Promise<number | null>;
  /** Instructions executed so far. */
  instructions(): number;
  /** What rp2040js reported as errors (unimplemented registers, bad accesses), for diagnostics. */
  diagnostics(): string[];
  stop(): Promise<void>;
}

export interface StartVirtualPicoOptions {
  /** Stop with an error after this many instructions without the board finishing (a runaway guard). */
  maxInstructions?: number;
  /** The byte link `transport` is: UART0 (default) or the Pico's own USB as a CDC serial port. */
  link?: 'uart0' | 'usb';
  /**
   * Bootrom contents (the 16 KiB at address 0). rp2040js ships none, and Mote's boot does not need one; a
   * firmware that calls into the bootrom (the 1200-baud touch's reset_usb_boot) needs its table there.
   */
  bootrom?: Uint32Array;
}

/** USB class request codes (CDC PSTN subclass §6.3) and the bmRequestType of a class request to interface 0. */
const SET_LINE_CODING = 0x20;
const SET_CONTROL_LINE_STATE = 0x22;
const CLASS_INTERFACE_OUT = 0x21;
/** Simulated time within which a pending rp2040js alarm (a USB packet in flight) keeps the board awake. */
const ALARM_AWAKE_NANOS = 100_000;

interface SteppedClock {
  readonly nanosToNextAlarm: number;
  tick(deltaNanos: number): void;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => {
  if (typeof setImmediate === 'function') setImmediate(resolve);
  else setTimeout(resolve, 0);
});

/** Boots a flash image (starting at flash offset 0: boot2, vectors at 0x100, code) and runs it. */
export function startVirtualPico(flashImage: Uint8Array, options: StartVirtualPicoOptions = {}): VirtualPico {
  if (flashImage.length < BOOT2_BYTES + 8) throw new VirtualPicoError(`the RP2040 image is ${flashImage.length} bytes; it must start with the 256-byte boot2 followed by the vector table`);
  if (flashImage.length > RP2040_MAX_FLASH_BYTES) throw new VirtualPicoError(`the RP2040 image is ${flashImage.length} bytes; the RP2040 addresses at most 16 MiB of flash`);
  if (!boot2IsValid(flashImage)) {
    throw new VirtualPicoError("the image's boot2 CRC does not match, so a Pico's bootrom would not run it (the board would show its BOOTSEL drive instead); rebuild the firmware, which seals boot2 after linking");
  }
  const diagnostics: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (component, message) => { if (diagnostics.length < 100) diagnostics.push(`${component}: ${message}`); },
  };
  const mcu = new RP2040();
  mcu.logger = logger;
  if (options.bootrom) mcu.loadBootrom(options.bootrom); // before the flash is set: loading resets the chip
  // The default clock is rp2040js's SimulationClock, advanced by hand (it is not exported by name).
  const clock = mcu.clock as unknown as SteppedClock;
  if (typeof clock.tick !== 'function') throw new VirtualPicoError('this rp2040js version has no steppable simulation clock; Mote needs rp2040js 1.4 (package.json)');
  mcu.flash.set(flashImage, 0);
  mcu.sram.set(flashImage.subarray(0, BOOT2_BYTES), BOOT2_SRAM_ADDRESS - RP2040_SRAM_START);
  mcu.core.SP = BOOT2_SRAM_ADDRESS;
  mcu.core.LR = 0;
  mcu.core.PC = BOOT2_SRAM_ADDRESS;

  const [host, board] = createMemoryPair();
  const uart = mcu.uart[0];
  const pending: number[] = [];
  let pendingAt = 0;
  let outgoing: number[] = [];
  // Counting reads of an empty receive FIFO with nothing sent in between tells a firmware blocked in
  // board_uart_read_byte from one computing or transmitting (its TX loop reads the same flags register).
  // The runtime's read loop polls UART0 in both links, so the count serves USB too; USB traffic resets it.
  let emptyPolls = 0;
  uart.onByte = (byte) => { if (link === 'uart0') outgoing.push(byte); emptyPolls = 0; };
  const readRegister = uart.readUint32.bind(uart);
  uart.readUint32 = (offset: number) => {
    const value = readRegister(offset);
    if (offset === UART_FR) emptyPolls = value & UART_FR_RXFE ? emptyPolls + 1 : 0;
    return value;
  };

  const link = options.link ?? 'uart0';
  const usb = link === 'usb' ? attachUsbHost(mcu, (bytes) => { for (const byte of bytes) outgoing.push(byte); }, () => { emptyPolls = 0; }) : undefined;

  let wake: (() => void) | undefined;
  board.onData((chunk) => {
    for (const byte of chunk) pending.push(byte);
    wake?.();
  });
  let stopped = false;
  let executed = 0;
  let resolveExit!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => { resolveExit = resolve; });
  let exitCode: number | undefined;
  let stoppedAt: number | undefined;
  // BKPT is board_exit (code in r0). rp2040js reports UDF through the same hook where silicon would take
  // a HardFault, whose handler calls board_exit(3): report that code, and say what happened.
  mcu.onBreak = () => {
    const at = (mcu.core.PC - 2) & ~1;
    if (mcu.readUint16(at) >> 8 === 0xbe) { stoppedAt = at; exitCode = mcu.core.registers[0] >>> 0; return; }
    diagnostics.push(`undefined instruction at 0x${at.toString(16)} (a HardFault on a Pico; its handler exits with 3)`);
    exitCode = 3;
  };

  const flush = () => {
    if (!outgoing.length) return;
    const bytes = Uint8Array.from(outgoing);
    outgoing = [];
    board.write(bytes).catch(() => undefined);
  };
  const feed = () => {
    const before = pendingAt;
    if (usb) pendingAt += usb.send(pending, pendingAt);
    else while (pendingAt < pending.length && !(uart.flags & UART_FR_RXFF)) uart.feedByte(pending[pendingAt++]);
    if (pendingAt !== before) emptyPolls = 0; // the firmware has bytes to read again
    if (pendingAt === pending.length && pendingAt > 0) { pending.length = 0; pendingAt = 0; }
  };
  // nanosToNextAlarm is 0 when nothing is scheduled.
  const inFlight = () => { const nanos = clock.nanosToNextAlarm; return nanos > 0 && nanos < ALARM_AWAKE_NANOS; };
  // Waiting for input: the read loop has polled long enough, the host has nothing left to hand over, and no
  // USB packet is in flight (rp2040js delivers one a few simulated microseconds after it is armed).
  const idle = () => emptyPolls >= IDLE_POLLS && pendingAt >= pending.length && (!usb || (usb.drained() && !inFlight()));
  // rp2040js marks an IN buffer done (BUFF_STATUS) as soon as the firmware arms it and hands the packet to
  // the host a few simulated microseconds later; on silicon the done bit follows the host's ACK. A firmware
  // that stops right after an IN completes (the 1200-baud touch jumps into the bootrom after the request's
  // status stage) would otherwise leave the packet it armed undelivered: deliver what is in flight first.
  // Only packets already armed are delivered; the stopped core runs nothing more.
  const deliverInFlight = () => {
    for (let i = 0; usb && i < 16 && inFlight(); i++) clock.tick(clock.nanosToNextAlarm);
  };
  const finish = (code: number | null, reason?: string) => {
    if (stopped) return;
    stopped = true;
    flush();
    if (reason) diagnostics.push(reason);
    void board.close();
    resolveExit(code);
  };

  const run = async () => {
    const max = options.maxInstructions ?? Number.POSITIVE_INFINITY;
    while (!stopped) {
      feed();
      for (let i = 0; i < SLICE_INSTRUCTIONS && exitCode === undefined; i++) {
        if (mcu.core.waiting) {
          const nanos = clock.nanosToNextAlarm;
          if (!Number.isFinite(nanos) || nanos <= 0) break;
          clock.tick(nanos);
        } else {
          const cycles = mcu.core.executeInstruction();
          clock.tick(cycles * (1e9 / mcu.clkSys));
          executed++;
        }
        if (emptyPolls >= IDLE_POLLS && pendingAt < pending.length) feed();
        if (idle()) break;
      }
      if (exitCode !== undefined) { deliverInFlight(); flush(); finish(exitCode); return; }
      flush();
      if (executed > max) { finish(null, `stopped after ${executed} instructions without finishing`); return; }
      if (idle()) {
        // Blocked on input: sleep until the host sends something (or the board is stopped).
        await new Promise<void>((resolve) => { wake = resolve; if (stopped || pending.length > pendingAt) resolve(); });
        wake = undefined;
        emptyPolls = 0;
      } else {
        await yieldToEventLoop();
      }
    }
  };
  host.closed.then(() => finish(null));
  void run().catch((error: unknown) => finish(null, `rp2040js stopped: ${(error as Error).message}`));

  return {
    transport: host,
    usb: usb && {
      configured: usb.configured,
      setLineCoding: (baudRate) => { const done = usb.setLineCoding(baudRate); wake?.(); return done; },
      setControlLines: (dtr, rts) => { const done = usb.setControlLines(dtr, rts); wake?.(); return done; },
    },
    stoppedAt: () => stoppedAt,
    exited,
    instructions: () => executed,
    diagnostics: () => [...diagnostics],
    async stop() {
      finish(null);
      wake?.();
      await host.close();
      await exited;
    },
  };
}

interface UsbHost {
  configured: Promise<void>;
  /** Hands bytes from `from` on to the host's bulk OUT queue as room allows; returns how many it took. */
  send(bytes: readonly number[], from: number): number;
  /** Nothing queued for the device and no control request waiting for its turn. */
  drained(): boolean;
  setLineCoding(baudRate: number): Promise<void>;
  setControlLines(dtr: boolean, rts: boolean): Promise<void>;
}

/** rp2040js's USBCDC helper as the host of the Pico's USB port, with a CDC driver's NAK and class requests added. */
function attachUsbHost(mcu: RP2040, received: (bytes: Uint8Array) => void, activity: () => void): UsbHost {
  const usb = mcu.usbCtrl;
  const cdc = new USBCDC(usb);
  let connected = false;
  let resolveConfigured!: () => void;
  const configured = new Promise<void>((resolve) => { resolveConfigured = resolve; });
  // Control requests one at a time, each after the previous one's status stage (a zero-length EP0 IN).
  const queue: { setup: Uint8Array; data?: Uint8Array; done: () => void }[] = [];
  let current: { setup: Uint8Array; data?: Uint8Array; done: () => void } | undefined;
  let controlData: Uint8Array | undefined;
  const next = () => {
    if (current || !connected) return;
    current = queue.shift();
    if (!current) return;
    controlData = current.data;
    usb.sendSetupPacket(current.setup);
    activity();
  };
  let heldRead: { endpoint: number; size: number } | undefined;

  cdc.onDeviceConnected = () => {
    // The helper has just sent SET_CONTROL_LINE_STATE (DTR, RTS): configured once its status stage is in.
    current = { setup: new Uint8Array(8), done: () => { connected = true; resolveConfigured(); next(); } };
  };
  cdc.onSerialData = (bytes) => { if (bytes.length) received(bytes); activity(); };
  const helperWrite = usb.onEndpointWrite;
  usb.onEndpointWrite = (endpoint, buffer) => {
    helperWrite?.(endpoint, buffer);
    activity();
    if (endpoint === 0 && buffer.length === 0 && current) {
      const { done } = current;
      current = undefined;
      done();
      next();
    }
  };
  const helperRead = usb.onEndpointRead;
  usb.onEndpointRead = (endpoint, size) => {
    activity();
    if (endpoint === 0) {
      // EP0 OUT armed: a control OUT request's data stage, else the status stage of an IN request.
      if (controlData) { usb.endpointReadDone(0, controlData); controlData = undefined; }
      return;
    }
    // The bulk OUT endpoint: a host with nothing to send NAKs; the helper would answer an empty packet.
    if (cdc.txFIFO.empty) { heldRead = { endpoint, size }; return; }
    helperRead?.(endpoint, size);
  };
  const request = (bRequest: number, wValue: number, data?: Uint8Array) => new Promise<void>((done) => {
    const setup = new Uint8Array([CLASS_INTERFACE_OUT, bRequest, wValue & 0xff, wValue >> 8, 0, 0, data?.length ?? 0, 0]);
    queue.push({ setup, data, done });
    next();
  });
  return {
    configured,
    send(bytes, from) {
      let taken = 0;
      while (from + taken < bytes.length && !cdc.txFIFO.full) cdc.sendSerialByte(bytes[from + taken++]);
      if (taken && heldRead) { const { endpoint, size } = heldRead; heldRead = undefined; helperRead?.(endpoint, size); }
      return taken;
    },
    // Before configuration the host is still enumerating (its bus reset comes 10 simulated ms after the pull-up).
    drained: () => connected && cdc.txFIFO.empty && !current && queue.length === 0,
    setLineCoding(baudRate) {
      const coding = new Uint8Array([baudRate & 0xff, (baudRate >> 8) & 0xff, (baudRate >> 16) & 0xff, (baudRate >>> 24) & 0xff, 0, 0, 8]); // 1 stop bit, no parity, 8 data bits
      return request(SET_LINE_CODING, 0, coding);
    },
    setControlLines: (dtr, rts) => request(SET_CONTROL_LINE_STATE, (dtr ? 1 : 0) | (rts ? 2 : 0)),
  };
}
