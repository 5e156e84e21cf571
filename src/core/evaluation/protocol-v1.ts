// Mote evaluation protocol, version 1: binary frames between the host (browser, CLI) and a board running
// the evaluation loop of firmware-templates/common. The byte layout is documented in docs/protocol.md and
// implemented a second time in C (firmware-templates/common/mote_protocol.c); both must change together,
// and any change to a layout bumps PROTOCOL_VERSION.
import { MoteError } from '../base/errors';
import { crc32, crc32OfSpan, crc32Prefix } from '../base/crc32';

// ---------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------

export const PROTOCOL_VERSION = 1;
/**
 * Protocol 2 = protocol 1 plus the model-load frames (LOAD_BEGIN … LOAD_STATUS, model-load.ts): spoken by
 * firmware whose model arrives at run time (the Mote Runtime's images). Every v1 frame is unchanged, so a
 * v2 board is evaluated exactly as a v1 board once its model is loaded.
 */
export const LOADABLE_PROTOCOL_VERSION = 2;
/** Protocol versions this host evaluates. */
export const EVALUATED_PROTOCOL_VERSIONS: readonly number[] = [PROTOCOL_VERSION, LOADABLE_PROTOCOL_VERSION];

/** Two sync bytes open every frame; chosen so that ASCII text (Qualia firmware, boot banners) never matches. */
export const SYNC = [0xa5, 0xd3] as const;
/** sync(2) + payload length u16 + type u8 + sequence u16. */
export const HEADER_BYTES = 7;
export const CRC_BYTES = 4;
/** Largest payload the length field can carry; boards announce their own, smaller limit via max_batch. */
export const MAX_PAYLOAD_BYTES = 0xffff;

export const FrameType = {
  /** board → host, unsolicited at boot and in answer to HELLO_REQUEST. */
  Hello: 0x01,
  /** host → board: a batch of input vectors. */
  Infer: 0x02,
  /** board → host: raw outputs of one vector and its counter value; carries the INFER's sequence number. */
  Result: 0x03,
  /** board → host: a request could not be served; carries the offending frame's sequence number if known. */
  Error: 0x04,
  /** host → board: please send HELLO again (the host connected after the board booted). */
  HelloRequest: 0x05,
  /** host → board (protocol 2): a model blob of `u32 bytes` with CRC-32 `u32 crc` follows in chunks. */
  LoadBegin: 0x06,
  /** host → board (protocol 2): `u32 offset`, then that part of the blob. */
  LoadChunk: 0x07,
  /** host → board (protocol 2): every byte was sent; check the blob and make it the model. */
  LoadEnd: 0x08,
  /** board → host (protocol 2): the answer to each load frame; carries its sequence number. */
  LoadStatus: 0x09,
} as const;
export type FrameTypeCode = (typeof FrameType)[keyof typeof FrameType];
const KNOWN_TYPES = new Set<number>(Object.values(FrameType));

/** What the number format byte says: the model's element type for inputs and outputs. */
export type NumberFormat = 8 | 16 | 32;

/** What RESULT's counter measures. */
export const CounterKind = {
  None: 0,
  /** Core clock cycles (DWT->CYCCNT on real Cortex-M boards). */
  Cycles: 1,
  /** Executed instructions (SysTick under QEMU `-icount shift=0`; resolution 1e9 / clock_hz instructions). */
  Instructions: 2,
  /** Microseconds of wall time. */
  Microseconds: 3,
} as const;
export type CounterKindCode = (typeof CounterKind)[keyof typeof CounterKind];

export const ErrorCode = {
  /** A frame arrived with a bad CRC; the host should re-send. */
  BadCrc: 1,
  /** INFER payload size does not match count × input size. */
  BadLength: 2,
  /** INFER count exceeds the board's max_batch. */
  BatchTooLarge: 3,
  /** The board does not know this frame type. */
  UnknownType: 4,
  /** A frame longer than the board's receive buffer; dropped. */
  FrameTooLarge: 5,
  /** Protocol 2: INFER before a model was loaded (detail = the last load's status, 0 if none was tried). */
  NoModel: 6,
} as const;
export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface Frame {
  type: number;
  seq: number;
  payload: Uint8Array;
}

export interface Hello {
  protocolVersion: number;
  abiVersion: number;
  numberFormat: NumberFormat;
  counterKind: CounterKindCode;
  modelHash: number;
  clockHz: number;
  inputScale: number;
  outputScale: number;
  /** Most vectors one INFER may carry (bounded by the board's receive buffer). */
  maxBatch: number;
  inputDims: number;
  outputDims: number;
  inputShape: number[];
  boardId: string;
  modelName: string;
}

export type RawVector = Int8Array | Int16Array | Float32Array;

export interface InferRequest {
  firstIndex: number;
  vectors: RawVector[];
}

export interface ResultPayload {
  index: number;
  counter: number;
  outputs: RawVector;
}

export interface BoardError {
  code: number;
  detail: number;
  message: string;
}

/** A frame whose CRC was right but whose payload does not fit its type (a firmware bug or version skew). */
export class ProtocolError extends MoteError {}

// ---------------------------------------------------------------------------------------------------
// Frames
// ---------------------------------------------------------------------------------------------------

export function encodeFrame(type: number, seq: number, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_PAYLOAD_BYTES) {
    throw new ProtocolError(`frame payload of ${payload.length} bytes exceeds the protocol limit of ${MAX_PAYLOAD_BYTES}; send a smaller batch`);
  }
  const out = new Uint8Array(HEADER_BYTES + payload.length + CRC_BYTES);
  out[0] = SYNC[0];
  out[1] = SYNC[1];
  out[2] = payload.length & 0xff;
  out[3] = payload.length >>> 8;
  out[4] = type;
  out[5] = seq & 0xff;
  out[6] = (seq >>> 8) & 0xff;
  out.set(payload, HEADER_BYTES);
  const crc = crc32(out.subarray(2, HEADER_BYTES + payload.length));
  new DataView(out.buffer).setUint32(HEADER_BYTES + payload.length, crc, true);
  return out;
}

export interface DecoderStats {
  /** Bytes skipped while looking for a frame start (garbage, text, partial frames). */
  skippedBytes: number;
  /** Frames that looked complete but failed the CRC check. */
  badCrc: number;
  frames: number;
  /** Candidate frames whose CRC was checked (each costs O(log length), see crc32OfSpan). */
  crcChecks: number;
  /** Bytes run through the CRC table: each received byte exactly once. */
  hashedBytes: number;
}

/**
 * Streaming frame decoder: feed it chunks as they arrive, it returns the frames completed so far. Any
 * byte sequence is accepted; garbage is skipped, a frame with a bad CRC is dropped and the search restarts
 * one byte after its sync so that a real frame hidden inside it is still found.
 *
 * The work is linear in the bytes received, whatever they are: bytes are appended to a growable buffer
 * (amortised O(1) each) with their running CRC register, so a candidate frame's CRC comes from the two
 * registers at its ends in O(log length) instead of re-hashing up to 64 KiB for every sync pair — a board
 * (or anything on the port) flooding fake maximal headers cost ~28 s of CPU per MiB before.
 */
export class FrameDecoder {
  private bytes = new Uint8Array(1024);
  /** registers[i]: CRC register (from 0) after bytes[0..i) of the current buffer. */
  private registers = new Uint32Array(1025);
  private start = 0;
  private end = 0;
  readonly stats: DecoderStats = { skippedBytes: 0, badCrc: 0, frames: 0, crcChecks: 0, hashedBytes: 0 };

  constructor(private readonly maxPayload = MAX_PAYLOAD_BYTES) {}

  private append(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.bytes.length) {
      // Compact (or grow to twice what is needed, so appends stay amortised O(1)). The registers of the
      // pending bytes are kept as they are: a span's CRC only uses their differences.
      const pending = this.end - this.start;
      const needed = pending + chunk.length;
      if (needed * 2 <= this.bytes.length) {
        this.bytes.copyWithin(0, this.start, this.end);
        this.registers.copyWithin(0, this.start, this.end + 1);
      } else {
        const capacity = 2 ** Math.ceil(Math.log2(needed * 2));
        const bytes = new Uint8Array(capacity);
        bytes.set(this.bytes.subarray(this.start, this.end));
        const registers = new Uint32Array(capacity + 1);
        registers.set(this.registers.subarray(this.start, this.end + 1));
        this.bytes = bytes;
        this.registers = registers;
      }
      this.start = 0;
      this.end = pending;
    }
    this.bytes.set(chunk, this.end);
    crc32Prefix(chunk, this.registers, this.end);
    this.end += chunk.length;
    this.stats.hashedBytes += chunk.length;
  }

  push(chunk: Uint8Array): Frame[] {
    if (chunk.length) this.append(chunk);
    const frames: Frame[] = [];
    const { bytes: buf, registers } = this;
    const end = this.end;
    let pos = this.start;
    while (pos < end) {
      if (buf[pos] !== SYNC[0]) { pos++; this.stats.skippedBytes++; continue; }
      if (pos + 1 >= end) break;
      if (buf[pos + 1] !== SYNC[1]) { pos++; this.stats.skippedBytes++; continue; }
      if (pos + HEADER_BYTES > end) break;
      const length = buf[pos + 2] | (buf[pos + 3] << 8);
      const type = buf[pos + 4];
      if (length > this.maxPayload || !KNOWN_TYPES.has(type)) { pos++; this.stats.skippedBytes++; continue; }
      const total = HEADER_BYTES + length + CRC_BYTES;
      if (pos + total > end) break;
      this.stats.crcChecks++;
      const covered = pos + HEADER_BYTES + length; // the CRC covers length, type, seq and payload
      const expected = crc32OfSpan(registers[pos + 2], registers[covered], covered - (pos + 2));
      const got = (buf[pos + total - 4] | (buf[pos + total - 3] << 8) | (buf[pos + total - 2] << 16) | (buf[pos + total - 1] << 24)) >>> 0;
      if (expected !== got) { this.stats.badCrc++; pos++; this.stats.skippedBytes++; continue; }
      frames.push({ type, seq: buf[pos + 5] | (buf[pos + 6] << 8), payload: buf.slice(pos + HEADER_BYTES, pos + HEADER_BYTES + length) });
      this.stats.frames++;
      pos += total;
    }
    this.start = pos;
    if (this.start === this.end) { this.start = 0; this.end = 0; this.registers[0] = 0; }
    return frames;
  }

  /** Bytes held waiting for the rest of a frame. */
  get pending(): number {
    return this.end - this.start;
  }

  /** Forget a partial frame (after a timeout, so a corrupted length field cannot stall the stream). */
  reset(): void {
    this.stats.skippedBytes += this.end - this.start;
    this.start = 0;
    this.end = 0;
    this.registers[0] = 0;
  }
}

// ---------------------------------------------------------------------------------------------------
// Payloads
// ---------------------------------------------------------------------------------------------------

export function bytesPerElement(format: NumberFormat): number {
  return format === 8 ? 1 : format === 16 ? 2 : 4;
}

function isNumberFormat(value: number): value is NumberFormat {
  return value === 8 || value === 16 || value === 32;
}

function writeAscii(view: DataView, offset: number, text: string): number {
  const bytes = Array.from(text, (c) => c.charCodeAt(0) & 0x7f).slice(0, 255);
  view.setUint8(offset, bytes.length);
  bytes.forEach((b, i) => view.setUint8(offset + 1 + i, b));
  return offset + 1 + bytes.length;
}

function readAscii(view: DataView, offset: number, what: string): [string, number] {
  if (offset >= view.byteLength) throw new ProtocolError(`HELLO ends before its ${what}`);
  const length = view.getUint8(offset);
  if (offset + 1 + length > view.byteLength) throw new ProtocolError(`HELLO's ${what} runs past the end of the frame`);
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(view.getUint8(offset + 1 + i));
  return [text, offset + 1 + length];
}

const HELLO_FIXED_BYTES = 25;

export function encodeHello(hello: Hello): Uint8Array {
  const size = HELLO_FIXED_BYTES + 2 * hello.inputShape.length + 2 + hello.boardId.length + hello.modelName.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint8(0, hello.protocolVersion);
  view.setUint8(1, hello.abiVersion);
  view.setUint8(2, hello.numberFormat);
  view.setUint8(3, hello.counterKind);
  view.setUint32(4, hello.modelHash >>> 0, true);
  view.setUint32(8, hello.clockHz >>> 0, true);
  view.setInt8(12, hello.inputScale);
  view.setInt8(13, hello.outputScale);
  view.setUint16(14, hello.maxBatch, true);
  view.setUint32(16, hello.inputDims, true);
  view.setUint32(20, hello.outputDims, true);
  view.setUint8(24, hello.inputShape.length);
  let offset = HELLO_FIXED_BYTES;
  for (const d of hello.inputShape) { view.setUint16(offset, d, true); offset += 2; }
  offset = writeAscii(view, offset, hello.boardId);
  writeAscii(view, offset, hello.modelName);
  return out;
}

export function decodeHello(payload: Uint8Array): Hello {
  if (payload.length < HELLO_FIXED_BYTES) throw new ProtocolError(`HELLO payload is ${payload.length} bytes, expected at least ${HELLO_FIXED_BYTES}`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const numberFormat = view.getUint8(2);
  if (!isNumberFormat(numberFormat)) throw new ProtocolError(`HELLO announces number format ${numberFormat}; expected 8, 16 or 32`);
  const counterKind = view.getUint8(3);
  if (counterKind > 3) throw new ProtocolError(`HELLO announces counter kind ${counterKind}; expected 0…3`);
  const rank = view.getUint8(24);
  let offset = HELLO_FIXED_BYTES;
  if (offset + 2 * rank > payload.length) throw new ProtocolError(`HELLO's input shape (rank ${rank}) runs past the end of the frame`);
  const inputShape: number[] = [];
  for (let i = 0; i < rank; i++) { inputShape.push(view.getUint16(offset, true)); offset += 2; }
  const [boardId, afterBoard] = readAscii(view, offset, 'board id');
  const [modelName, end] = readAscii(view, afterBoard, 'model name');
  if (end !== payload.length) throw new ProtocolError(`HELLO has ${payload.length - end} unexpected trailing bytes`);
  const hello: Hello = {
    protocolVersion: view.getUint8(0),
    abiVersion: view.getUint8(1),
    numberFormat,
    counterKind: counterKind as CounterKindCode,
    modelHash: view.getUint32(4, true),
    clockHz: view.getUint32(8, true),
    inputScale: view.getInt8(12),
    outputScale: view.getInt8(13),
    maxBatch: view.getUint16(14, true),
    inputDims: view.getUint32(16, true),
    outputDims: view.getUint32(20, true),
    inputShape,
    boardId,
    modelName,
  };
  if (hello.maxBatch < 1) throw new ProtocolError('HELLO announces max_batch 0; the firmware cannot receive any vector');
  const product = inputShape.reduce((a, b) => a * b, 1);
  if (rank > 0 && product !== hello.inputDims) throw new ProtocolError(`HELLO's input shape [${inputShape.join(', ')}] has ${product} elements but input_dims says ${hello.inputDims}`);
  return hello;
}

function writeElements(view: DataView, offset: number, values: ArrayLike<number>, format: NumberFormat): number {
  for (let i = 0; i < values.length; i++) {
    if (format === 8) view.setInt8(offset + i, values[i]);
    else if (format === 16) view.setInt16(offset + 2 * i, values[i], true);
    else view.setFloat32(offset + 4 * i, values[i], true);
  }
  return offset + values.length * bytesPerElement(format);
}

function readElements(payload: Uint8Array, offset: number, count: number, format: NumberFormat): RawVector {
  // Copy first: the typed array must be aligned and must not alias the decoder's buffer.
  const bytes = payload.slice(offset, offset + count * bytesPerElement(format));
  if (format === 8) return new Int8Array(bytes.buffer);
  const view = new DataView(bytes.buffer);
  if (format === 16) { const out = new Int16Array(count); for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, true); return out; }
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

const INFER_FIXED_BYTES = 8;

/** Payload bytes an INFER of `count` vectors needs; the host keeps it within the board's max_batch. */
export function inferPayloadBytes(count: number, inputDims: number, format: NumberFormat): number {
  return INFER_FIXED_BYTES + count * inputDims * bytesPerElement(format);
}

export function encodeInfer(request: InferRequest, inputDims: number, format: NumberFormat): Uint8Array {
  const out = new Uint8Array(inferPayloadBytes(request.vectors.length, inputDims, format));
  const view = new DataView(out.buffer);
  view.setUint32(0, request.firstIndex >>> 0, true);
  view.setUint16(4, request.vectors.length, true);
  let offset = INFER_FIXED_BYTES;
  request.vectors.forEach((v, i) => {
    if (v.length !== inputDims) throw new ProtocolError(`vector ${request.firstIndex + i} has ${v.length} values; the board expects ${inputDims}`);
    offset = writeElements(view, offset, v, format);
  });
  return out;
}

export function decodeInfer(payload: Uint8Array, inputDims: number, format: NumberFormat): InferRequest {
  if (payload.length < INFER_FIXED_BYTES) throw new ProtocolError(`INFER payload is ${payload.length} bytes, expected at least ${INFER_FIXED_BYTES}`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const firstIndex = view.getUint32(0, true);
  const count = view.getUint16(4, true);
  const expected = inferPayloadBytes(count, inputDims, format);
  if (payload.length !== expected) throw new ProtocolError(`INFER of ${count} vectors is ${payload.length} bytes, expected ${expected}`);
  const vectors: RawVector[] = [];
  const size = inputDims * bytesPerElement(format);
  for (let i = 0; i < count; i++) vectors.push(readElements(payload, INFER_FIXED_BYTES + i * size, inputDims, format));
  return { firstIndex, vectors };
}

const RESULT_FIXED_BYTES = 8;

export function encodeResult(result: ResultPayload, format: NumberFormat): Uint8Array {
  const out = new Uint8Array(RESULT_FIXED_BYTES + result.outputs.length * bytesPerElement(format));
  const view = new DataView(out.buffer);
  view.setUint32(0, result.index >>> 0, true);
  view.setUint32(4, result.counter >>> 0, true);
  writeElements(view, RESULT_FIXED_BYTES, result.outputs, format);
  return out;
}

export function decodeResult(payload: Uint8Array, outputDims: number, format: NumberFormat): ResultPayload {
  const expected = RESULT_FIXED_BYTES + outputDims * bytesPerElement(format);
  if (payload.length !== expected) throw new ProtocolError(`RESULT is ${payload.length} bytes, expected ${expected} for ${outputDims} outputs of ${format} bits`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  return { index: view.getUint32(0, true), counter: view.getUint32(4, true), outputs: readElements(payload, RESULT_FIXED_BYTES, outputDims, format) };
}

export function encodeBoardError(error: BoardError): Uint8Array {
  const out = new Uint8Array(6 + Math.min(255, error.message.length));
  const view = new DataView(out.buffer);
  view.setUint8(0, error.code);
  view.setUint32(1, error.detail >>> 0, true);
  writeAscii(view, 5, error.message);
  return out;
}

export function decodeBoardError(payload: Uint8Array): BoardError {
  if (payload.length < 6) throw new ProtocolError(`ERROR payload is ${payload.length} bytes, expected at least 6`);
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const length = view.getUint8(5);
  if (6 + length !== payload.length) throw new ProtocolError(`ERROR's message length ${length} does not match the frame`);
  let message = '';
  for (let i = 0; i < length; i++) message += String.fromCharCode(view.getUint8(6 + i));
  return { code: view.getUint8(0), detail: view.getUint32(1, true), message };
}

export function describeBoardError(error: BoardError): string {
  const names: Record<number, string> = {
    [ErrorCode.BadCrc]: 'a frame from the host arrived corrupted',
    [ErrorCode.BadLength]: 'an INFER frame had the wrong size',
    [ErrorCode.BatchTooLarge]: 'an INFER carried more vectors than the board accepts',
    [ErrorCode.UnknownType]: 'the board does not know a frame type',
    [ErrorCode.FrameTooLarge]: "a frame exceeded the board's receive buffer",
    [ErrorCode.NoModel]: 'the board has no model loaded (load one over the serial link first)',
  };
  const what = names[error.code] ?? `error code ${error.code}`;
  return `${what} (detail ${error.detail}${error.message ? `: ${error.message}` : ''})`;
}
