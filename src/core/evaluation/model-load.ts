// Model load over the evaluation link (protocol 2, docs/protocol.md "Model load"): the host sends a model
// blob (src/core/runtime/blob.ts) to a board running the Mote Runtime firmware — LOAD_BEGIN with its size
// and CRC-32, LOAD_CHUNKs each protected by its frame's CRC, LOAD_END — and the board answers each with a
// LOAD_STATUS; then the host asks for HELLO, which now describes the loaded model, and the ordinary v1
// evaluation (evaluator.ts) runs on it. Stop-and-wait: one frame outstanding, re-sent on a timeout or a
// corrupted-frame ERROR; a status that is not OK stops the load with the board's reason in plain words.
// The board-side twin is runtime/ports/common/mote_rt_firmware.c.
import { CancelledError, MoteError } from '../base/errors';
import { BLOB_STATUS_TEXT } from '../runtime/blob-format';
import { FrameStream } from './evaluator';
import { FrameType, LOADABLE_PROTOCOL_VERSION, decodeBoardError, decodeHello, describeBoardError, type Hello } from './protocol-v1';
import { TransportError, type ByteTransport } from './transport';

/** LOAD_STATUS codes: 0 OK, 1…8 the runtime loader's own (mote_rt_status, detail = byte offset), then the transfer's. */
export const LoadStatusCode = {
  Ok: 0,
  NotStarted: 16,
  BlobTooLarge: 17,
  BadOffset: 18,
  Overrun: 19,
  Incomplete: 20,
  WrongDialect: 21,
  NotAnnounced: 22,
} as const;

const LOAD_STATUS_TEXT: Record<number, string> = {
  [LoadStatusCode.NotStarted]: 'the board got a chunk or LOAD_END without a LOAD_BEGIN (or after refusing the blob)',
  [LoadStatusCode.BlobTooLarge]: "the blob is larger than the board's blob buffer",
  [LoadStatusCode.BadOffset]: 'a chunk arrived out of order',
  [LoadStatusCode.Overrun]: 'a chunk ran past the announced blob size',
  [LoadStatusCode.Incomplete]: 'LOAD_END came before every byte of the blob',
  [LoadStatusCode.WrongDialect]: "the blob's weights are packed for the cortex-m dialect, but this board's runtime runs the portable (c99) dialect; build the blob for the board's dialect",
  [LoadStatusCode.NotAnnounced]: "the blob's CRC-32 is not the one LOAD_BEGIN announced",
};

export const LOAD_STATUS_BYTES = 24;
const CHUNK_HEADER_BYTES = 4;

export interface LoadStatus {
  status: number;
  /** The runtime's dialect: packed cortex-m weights accepted (1) or portable only (0). */
  dialect: 'cortex-m' | 'c99';
  /** Blob format version the runtime reads. */
  formatVersion: number;
  /** Bytes of the blob the board holds so far (the next chunk's offset). */
  received: number;
  detail: number;
  /** Largest blob the board's buffer takes, its activation arena, and the most data bytes one chunk may carry. */
  blobCapacity: number;
  arenaCapacity: number;
  maxChunk: number;
}

export function encodeLoadStatus(s: LoadStatus): Uint8Array {
  const out = new Uint8Array(LOAD_STATUS_BYTES);
  const view = new DataView(out.buffer);
  view.setUint8(0, s.status);
  view.setUint8(1, s.dialect === 'cortex-m' ? 1 : 0);
  view.setUint16(2, s.formatVersion, true);
  view.setUint32(4, s.received >>> 0, true);
  view.setUint32(8, s.detail >>> 0, true);
  view.setUint32(12, s.blobCapacity >>> 0, true);
  view.setUint32(16, s.arenaCapacity >>> 0, true);
  view.setUint16(20, s.maxChunk, true);
  return out;
}

export function decodeLoadStatus(payload: Uint8Array): LoadStatus {
  if (payload.length !== LOAD_STATUS_BYTES) throw new ModelLoadError(`LOAD_STATUS is ${payload.length} bytes, expected ${LOAD_STATUS_BYTES}`, -1, 0);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return {
    status: view.getUint8(0),
    dialect: view.getUint8(1) === 1 ? 'cortex-m' : 'c99',
    formatVersion: view.getUint16(2, true),
    received: view.getUint32(4, true),
    detail: view.getUint32(8, true),
    blobCapacity: view.getUint32(12, true),
    arenaCapacity: view.getUint32(16, true),
    maxChunk: view.getUint16(20, true),
  };
}

export function encodeLoadBegin(bytes: number, crc: number): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint32(0, bytes >>> 0, true);
  view.setUint32(4, crc >>> 0, true);
  return out;
}

export function encodeLoadChunk(offset: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(CHUNK_HEADER_BYTES + data.length);
  new DataView(out.buffer).setUint32(0, offset >>> 0, true);
  out.set(data, CHUNK_HEADER_BYTES);
  return out;
}

/** A status in plain words, with its detail where it helps. */
export function describeLoadStatus(s: Pick<LoadStatus, 'status' | 'detail'>): string {
  if (s.status >= 1 && s.status <= 8) return `${BLOB_STATUS_TEXT[s.status]} (at byte ${s.detail})`;
  const text = LOAD_STATUS_TEXT[s.status] ?? `load status ${s.status}`;
  if (s.status === LoadStatusCode.BlobTooLarge) return `${text} (${s.detail} bytes)`;
  if (s.status === LoadStatusCode.Incomplete) return `${text} (${s.detail} bytes received)`;
  return text;
}

/** The board refused the model, or the load could not be completed; `status` is LOAD_STATUS's (-1: none). */
export class ModelLoadError extends MoteError {
  constructor(message: string, readonly status: number, readonly detail: number) {
    super(message);
  }
}

export interface ModelLoadOptions {
  transport: ByteTransport;
  /** The model blob (src/core/runtime/blob.ts), its CRC-32 in the last 4 bytes. */
  blob: Uint8Array;
  /** Data bytes per chunk (capped by the board's maxChunk). */
  chunkBytes?: number;
  /** How long to wait for each answer before re-sending (ms). */
  frameTimeoutMs?: number;
  /** Re-sends of one frame before giving up. */
  maxRetries?: number;
  onProgress?: (progress: { sent: number; total: number }) => void;
  signal?: AbortSignal;
}

export interface ModelLoadReport {
  /** HELLO after the load: the loaded model (its hash is the blob's CRC-32); hand it to evaluateOnBoard. */
  hello: Hello;
  /** The board's last LOAD_STATUS (capacities, dialect). */
  board: LoadStatus;
  chunks: number;
  retries: number;
  elapsedMs: number;
}

/** Loads `blob` into the board's runtime; resolves with the HELLO of the loaded model. */
export async function loadModelOnBoard(options: ModelLoadOptions): Promise<ModelLoadReport> {
  const { blob } = options;
  const frameTimeoutMs = options.frameTimeoutMs ?? 5_000;
  const maxRetries = options.maxRetries ?? 8;
  if (blob.length < 8) throw new ModelLoadError(`a model blob of ${blob.length} bytes is not a blob`, 1, blob.length);
  const crc = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(blob.length - 4, true);
  const started = Date.now();
  const stream = new FrameStream(options.transport);
  let seq = 0;
  let retries = 0;
  let chunks = 0;
  const checkCancelled = () => { if (options.signal?.aborted) throw new CancelledError('the model load was cancelled'); };

  /** Sends one frame and waits for the answer of `answer` type with its sequence, re-sending on silence. */
  const exchange = async <T>(type: number, payload: Uint8Array, accept: (frame: { type: number; seq: number; payload: Uint8Array }) => T | undefined, what: string): Promise<T> => {
    seq = (seq + 1) & 0xffff || 1;
    const mySeq = seq;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      checkCancelled();
      if (attempt > 0) retries++;
      await stream.send(type, mySeq, payload);
      const deadline = Date.now() + frameTimeoutMs;
      for (;;) {
        const event = await stream.next(Math.max(1, deadline - Date.now()), options.signal);
        checkCancelled();
        if (event.kind === 'timeout') break;
        if (event.kind === 'closed') throw new TransportError(`the connection to the board closed while loading the model${event.reason ? ` (${event.reason})` : ''}; reconnect and load again`);
        const frame = event.frame;
        if (frame.type === FrameType.Error) {
          const error = decodeBoardError(frame.payload);
          if (error.code === 1 || error.code === 5) break; // our frame arrived corrupted: re-send
          if (frame.seq !== mySeq) continue;
          if (error.code === 4) throw new ModelLoadError(`the board's firmware cannot load models (it answered ${describeBoardError(error)}); install the Mote Runtime image on it`, -1, error.detail);
          throw new ModelLoadError(`the board refused the ${what}: ${describeBoardError(error)}`, -1, error.detail);
        }
        if (frame.seq !== mySeq) continue;
        const value = accept(frame);
        if (value !== undefined) return value;
      }
    }
    throw new TransportError(`the board did not answer the ${what} after ${maxRetries + 1} tries; check the connection and that the Mote Runtime runs on it`);
  };

  const status = (frame: { type: number; payload: Uint8Array }) =>
    frame.type === FrameType.LoadStatus ? decodeLoadStatus(frame.payload) : undefined;
  const refuse = (s: LoadStatus): never => {
    throw new ModelLoadError(`the board refused the model: ${describeLoadStatus(s)}`, s.status, s.detail);
  };
  const askHello = () => exchange(FrameType.HelloRequest, new Uint8Array(0), (frame) => frame.type === FrameType.Hello ? decodeHello(frame.payload) : undefined, 'HELLO request');
  /**
   * The first HELLO: the boot greeting of a board that just started, else the answer to a request. The first
   * wait sends nothing: a request that arrives while the board boots may be lost (a UART init clearing its
   * FIFO) or half-read, which would cost a timeout.
   */
  const firstHello = async (): Promise<Hello> => {
    for (let attempt = 0; attempt <= maxRetries + 1; attempt++) {
      checkCancelled();
      if (attempt > 0) {
        seq = (seq + 1) & 0xffff || 1;
        await stream.send(FrameType.HelloRequest, seq, new Uint8Array(0));
      }
      const deadline = Date.now() + Math.min(frameTimeoutMs, attempt === 0 ? 400 : 1000);
      for (;;) {
        const event = await stream.next(Math.max(1, deadline - Date.now()), options.signal);
        if (event.kind === 'timeout') break;
        if (event.kind === 'closed') throw new TransportError(`the connection to the board closed before it said HELLO${event.reason ? ` (${event.reason})` : ''}`);
        if (event.frame.type === FrameType.Hello) return decodeHello(event.frame.payload);
      }
    }
    throw new TransportError(`the board sent no HELLO after ${maxRetries + 1} requests; is the Mote Runtime running on it and is the baud rate right?`);
  };

  try {
    const before = await firstHello();
    if (before.protocolVersion < LOADABLE_PROTOCOL_VERSION) {
      throw new ModelLoadError(`the board speaks protocol v${before.protocolVersion}: its firmware has its model compiled in (${before.modelName || 'unnamed'}) and cannot load another; install the Mote Runtime image, or use the generated-C route`, -1, 0);
    }
    let board = await exchange(FrameType.LoadBegin, encodeLoadBegin(blob.length, crc), status, 'LOAD_BEGIN');
    if (board.status !== LoadStatusCode.Ok) refuse(board);
    const chunkBytes = Math.max(1, Math.min(options.chunkBytes ?? 4096, board.maxChunk || 1));
    let offset = 0;
    while (offset < blob.length) {
      const data = blob.subarray(offset, Math.min(blob.length, offset + chunkBytes));
      board = await exchange(FrameType.LoadChunk, encodeLoadChunk(offset, data), status, `chunk at byte ${offset}`);
      chunks++;
      if (board.status === LoadStatusCode.BadOffset) {
        // The board holds a different prefix than we thought (a lost answer): continue from its offset.
        if (board.detail > blob.length) refuse(board);
        offset = board.detail;
        retries++;
        if (retries > maxRetries * 4) throw new ModelLoadError(`the board kept asking for other offsets (last ${board.detail}); check the connection`, board.status, board.detail);
        continue;
      }
      if (board.status !== LoadStatusCode.Ok) refuse(board);
      offset = board.received;
      options.onProgress?.({ sent: offset, total: blob.length });
    }
    board = await exchange(FrameType.LoadEnd, new Uint8Array(0), status, 'LOAD_END');
    if (board.status !== LoadStatusCode.Ok) refuse(board);
    const hello = await askHello();
    if (hello.modelHash !== crc >>> 0) {
      throw new ModelLoadError(`after loading, the board reports model hash 0x${hello.modelHash.toString(16)} instead of the blob's 0x${(crc >>> 0).toString(16)}`, -1, hello.modelHash);
    }
    return { hello, board, chunks, retries, elapsedMs: Date.now() - started };
  } finally {
    stream.dispose();
  }
}
