// The transport registry: every way Mote reaches a board to evaluate it. A board lists the kinds that
// reach it (board.ts); an environment (environment.ts) supplies a connector per kind it can open
// where it runs, and the engine takes the first kind both have. `process` is a batch run of a host
// executable (raw vectors in a file); every other kind carries Mote's serial protocol (or Qualia's) as bytes.

export interface TransportInfo {
  readonly kind: string;
  readonly summary: string;
  readonly runsIn: readonly ('node' | 'browser')[];
  /** 'batch': inputs in, outputs out, no protocol; 'stream': a byte stream speaking the evaluation protocol. */
  readonly family: 'batch' | 'stream';
}

/** One line per transport kind. */
export const transportKinds = {
  process: { kind: 'process', summary: 'an executable on this computer, fed a file of raw vectors', runsIn: ['node'], family: 'batch' },
  qemu: { kind: 'qemu', summary: 'a QEMU machine started here, its UART on a local TCP socket', runsIn: ['node'], family: 'stream' },
  serial: { kind: 'serial', summary: 'a serial device of this computer (/dev/tty…)', runsIn: ['node'], family: 'stream' },
  'wasm-thread': { kind: 'wasm-thread', summary: 'the wasm32 firmware instantiated in this thread, an in-memory byte pipe', runsIn: ['node', 'browser'], family: 'stream' },
  'wasm-worker': { kind: 'wasm-worker', summary: 'the wasm32 firmware in a Web Worker, over a MessagePort', runsIn: ['browser'], family: 'stream' },
  webserial: { kind: 'webserial', summary: 'a board plugged into this computer, opened by the browser (Web Serial)', runsIn: ['browser'], family: 'stream' },
  rp2040js: { kind: 'rp2040js', summary: 'the RP2040 firmware booted in rp2040js (an RP2040 emulator in JavaScript) in this thread, its UART0 as a byte pipe', runsIn: ['node', 'browser'], family: 'stream' },
  hosted: { kind: 'hosted', summary: "a board the hosted service runs (QEMU), its UART over a WebSocket", runsIn: ['node', 'browser'], family: 'stream' },
} as const satisfies Record<string, TransportInfo>;

export type TransportKind = keyof typeof transportKinds;
