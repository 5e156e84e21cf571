// Opening a board for the Boards page: a Web Serial port the person picks (already flashed with Mote
// firmware) or a VirtualCortexM4 the hosted toolchain builds and starts. Either way the board's HELLO is read
// right away, so a board running another model is refused at connect time, not half-way through.
import { BoardMismatchError, SUPPORTED_ABI_VERSION } from '../../core/evaluation/evaluator';
import { FrameDecoder, FrameType, PROTOCOL_VERSION, decodeHello, encodeFrame, type Hello } from '../../core/evaluation/protocol-v1';
import { TransportError, type ByteTransport } from '../../core/evaluation/transport';

export type BoardKind = 'serial' | 'hosted';

export interface BoardConnection {
  kind: BoardKind;
  /** Shown in the status bar and on the page. */
  label: string;
  /** results.json's `target` for rows measured on this board. */
  target: string;
  transport: ByteTransport & { readonly isClosed: boolean };
  hello: Hello;
  /** Firmware sizes when Mote built the firmware (hosted board). */
  sizes: { rom_bytes?: number; ram_bytes?: number };
  /** Closes the connection (and stops a hosted board). */
  close(): Promise<void>;
}

const hex = (value: number) => `0x${(value >>> 0).toString(16).padStart(8, '0')}`;

/** Waits for the board's HELLO, asking for it every `intervalMs` (the board may have booted long ago). */
export async function readHello(transport: ByteTransport, options: { timeoutMs?: number; intervalMs?: number; signal?: AbortSignal } = {}): Promise<Hello> {
  const timeoutMs = options.timeoutMs ?? 8_000;
  const intervalMs = options.intervalMs ?? 1_000;
  const decoder = new FrameDecoder();
  let unsubscribe = () => {};
  let timer: ReturnType<typeof setInterval> | undefined;
  try {
    return await new Promise<Hello>((resolve, reject) => {
      const deadline = setTimeout(() => reject(new TransportError(`the board sent no HELLO within ${timeoutMs / 1000} s; is Mote evaluation firmware running on it, at 921600 baud? Press its reset button and connect again`)), timeoutMs);
      const done = (action: () => void) => { clearTimeout(deadline); action(); };
      unsubscribe = transport.onData((chunk) => {
        for (const frame of decoder.push(chunk)) {
          if (frame.type !== FrameType.Hello) continue;
          try {
            const hello = decodeHello(frame.payload);
            done(() => resolve(hello));
          } catch (error) {
            done(() => reject(new BoardMismatchError(`the board's HELLO is unreadable (${(error as Error).message}); rebuild its firmware with this version of Mote`)));
          }
        }
      });
      transport.closed.then((closed) => done(() => reject(new TransportError(`the board connection closed before it said HELLO${closed.reason ? ` (${closed.reason})` : ''}`))));
      options.signal?.addEventListener('abort', () => done(() => reject(new TransportError('connecting was cancelled'))), { once: true });
      let seq = 0;
      const ask = () => { seq = (seq + 1) & 0xffff; transport.write(encodeFrame(FrameType.HelloRequest, seq, new Uint8Array(0))).catch(() => undefined); };
      ask();
      timer = setInterval(ask, intervalMs);
    });
  } finally {
    clearInterval(timer);
    unsubscribe();
  }
}

/** Refuses a board whose firmware is not for `expectedHash` (or speaks another protocol), in words. */
export function checkBoardModel(hello: Hello, expectedHash: number, modelDir: string): void {
  if (hello.protocolVersion !== PROTOCOL_VERSION) {
    throw new BoardMismatchError(`the board speaks evaluation protocol v${hello.protocolVersion}, this Mote speaks v${PROTOCOL_VERSION}; flash firmware built with this version of Mote`);
  }
  if (hello.abiVersion !== SUPPORTED_ABI_VERSION) {
    throw new BoardMismatchError(`the board's firmware uses model ABI v${hello.abiVersion}, this Mote generates v${SUPPORTED_ABI_VERSION}; flash firmware built from this run's C`);
  }
  if (hello.modelHash >>> 0 !== expectedHash >>> 0) {
    throw new BoardMismatchError(`the board "${hello.boardId}" runs model ${hello.modelName} (hash ${hex(hello.modelHash)}), not this run's ${modelDir}/ (hash ${hex(expectedHash)}). Flash firmware built from ${modelDir}/ (the C on the Deploy page) and connect again`);
  }
}

export { hex as formatModelHash };
