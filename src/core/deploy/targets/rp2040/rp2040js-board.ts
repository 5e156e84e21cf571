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
import { RP2040, type Logger } from 'rp2040js';
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

export interface VirtualPico {
  transport: ByteTransport & { readonly isClosed: boolean };
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
}

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
  let emptyPolls = 0;
  uart.onByte = (byte) => { outgoing.push(byte); emptyPolls = 0; };
  const readRegister = uart.readUint32.bind(uart);
  uart.readUint32 = (offset: number) => {
    const value = readRegister(offset);
    if (offset === UART_FR) emptyPolls = value & UART_FR_RXFE ? emptyPolls + 1 : 0;
    return value;
  };

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
  // BKPT is board_exit (code in r0). rp2040js reports UDF through the same hook where silicon would take
  // a HardFault, whose handler calls board_exit(3): report that code, and say what happened.
  mcu.onBreak = () => {
    const at = (mcu.core.PC - 2) & ~1;
    if (mcu.readUint16(at) >> 8 === 0xbe) { exitCode = mcu.core.registers[0] >>> 0; return; }
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
    while (pendingAt < pending.length && !(uart.flags & UART_FR_RXFF)) uart.feedByte(pending[pendingAt++]);
    if (pendingAt !== before) emptyPolls = 0; // the firmware has bytes to read again
    if (pendingAt === pending.length && pendingAt > 0) { pending.length = 0; pendingAt = 0; }
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
        if (emptyPolls >= IDLE_POLLS && pendingAt >= pending.length) break;
      }
      flush();
      if (exitCode !== undefined) { finish(exitCode); return; }
      if (executed > max) { finish(null, `stopped after ${executed} instructions without finishing`); return; }
      if (emptyPolls >= IDLE_POLLS && pendingAt >= pending.length) {
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
