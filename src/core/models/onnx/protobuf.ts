// The protobuf wire format, as much of it as ONNX files use: varints, 32-bit fixed, length-delimited
// fields (https://protobuf.dev/programming-guides/encoding/). Written here rather than taken from
// protobufjs (only a transitive dependency of onnxruntime-web) because the reader must treat every file as
// hostile: each length is checked against the bytes that remain before anything is sliced, a field never
// allocates more than the bytes it spans, and every error names the byte offset and the field being read.

import { InputFileError } from '../../base/errors';

/** An ONNX file is not a well-formed protobuf, or not a model Mote can read; the message says where. */
export class OnnxFormatError extends InputFileError {}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Reads one message's bytes; `where` names the message in errors (`graph.node[3]`). */
export class ProtoReader {
  pos: number;

  constructor(private readonly bytes: Uint8Array, readonly where: string, start = 0, readonly end = bytes.length, private readonly source = 'the ONNX file') {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  fail(message: string, at = this.pos): never {
    throw new OnnxFormatError(`${this.source}: byte ${at}, in ${this.where}: ${message}`);
  }

  private truncated(needed: number, what: string): never {
    this.fail(`${what} needs ${needed} byte${needed === 1 ? '' : 's'} but only ${this.end - this.pos} remain in this message (the file is truncated or not an ONNX model)`);
  }

  /** A varint as a number: exact below 2^53; larger ones (a hostile dim) come back as a too-large number. */
  varint(): number {
    const start = this.pos;
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) {
        this.pos = start;
        this.truncated(i + 1, 'a varint');
      }
      const byte = this.bytes[this.pos++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return value;
    }
    return this.fail('a varint runs past 10 bytes', start);
  }

  /** A signed 64-bit varint (two's complement: -1 is ten bytes). */
  int64(): number {
    const start = this.pos;
    let value = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) {
        this.pos = start;
        this.truncated(i + 1, 'a varint');
      }
      const byte = this.bytes[this.pos++];
      value |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return Number(BigInt.asIntN(64, value));
    }
    return this.fail('a varint runs past 10 bytes', start);
  }

  float32(): number {
    if (this.end - this.pos < 4) this.truncated(4, 'a float');
    const value = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return value;
  }

  /** The next field's number and wire type, or a clear error for a malformed key. */
  key(): { field: number; wire: number; at: number } {
    const at = this.pos;
    const key = this.varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (field === 0) this.fail('field number 0 (the bytes are not a protobuf message; is this an ONNX file?)', at);
    if (wire !== WIRE_VARINT && wire !== WIRE_FIXED64 && wire !== WIRE_BYTES && wire !== WIRE_FIXED32) {
      this.fail(`field ${field} has wire type ${wire}, which no ONNX field uses (the file is corrupt or not ONNX)`, at);
    }
    return { field, wire, at };
  }

  /** The span of a length-delimited field, checked against what remains: a view, never a copy. */
  bytesField(): Uint8Array {
    const at = this.pos;
    const length = this.varint();
    if (length > this.end - this.pos) {
      this.fail(`a field declares ${length} bytes but only ${this.end - this.pos} remain in this message (the file is truncated)`, at);
    }
    const view = this.bytes.subarray(this.pos, this.pos + length);
    this.pos += length;
    return view;
  }

  string(): string {
    return utf8.decode(this.bytesField());
  }

  /** A reader over an embedded message, whose errors name `where`. */
  message(where: string): ProtoReader {
    const at = this.pos;
    const length = this.varint();
    if (length > this.end - this.pos) {
      this.fail(`${where} declares ${length} bytes but only ${this.end - this.pos} remain (the file is truncated)`, at);
    }
    const reader = new ProtoReader(this.bytes, where, this.pos, this.pos + length, this.source);
    this.pos += length;
    return reader;
  }

  /** Repeated int64, packed (one length-delimited run) or not (one varint per key). */
  int64s(wire: number, into: number[]): void {
    if (wire === WIRE_VARINT) {
      into.push(this.int64());
      return;
    }
    if (wire !== WIRE_BYTES) this.fail(`a repeated integer field has wire type ${wire}`);
    const run = this.message(this.where);
    while (!run.done) into.push(run.int64());
  }

  /** Repeated float, packed or not; each value spans 4 bytes of the file, so the array is bounded by it. */
  floats(wire: number, into: number[]): void {
    if (wire === WIRE_FIXED32) {
      into.push(this.float32());
      return;
    }
    if (wire !== WIRE_BYTES) this.fail(`a repeated float field has wire type ${wire}`);
    const run = this.message(this.where);
    if ((run.end - run.pos) % 4 !== 0) this.fail(`a packed float field spans ${run.end - run.pos} bytes, not a multiple of 4`);
    while (!run.done) into.push(run.float32());
  }

  /** Skips a field this reader does not use. */
  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_BYTES) this.bytesField();
    else {
      const size = wire === WIRE_FIXED64 ? 8 : 4;
      if (this.end - this.pos < size) this.truncated(size, 'a fixed-size field');
      this.pos += size;
    }
  }

  /** Checks a field's wire type before reading it. */
  expect(wire: number, want: number, field: string): void {
    if (wire !== want) this.fail(`${field} has wire type ${wire}, expected ${want} (the file is corrupt or not ONNX)`);
  }
}

/** Builds one message; nested messages are written by a child writer and appended with their length. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private current: number[] = [];
  private size = 0;

  private flush(): void {
    if (this.current.length) {
      this.chunks.push(Uint8Array.from(this.current));
      this.current = [];
    }
  }

  private rawVarint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.current.push(byte);
      this.size++;
    } while (v !== 0n);
  }

  private key(field: number, wire: number): void {
    this.rawVarint(field * 8 + wire);
  }

  varint(field: number, value: number): this {
    this.key(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  float32(field: number, value: number): this {
    this.key(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    for (const b of bytes) this.current.push(b);
    this.size += 4;
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.key(field, WIRE_BYTES);
    this.rawVarint(value.length);
    this.flush();
    this.chunks.push(value);
    this.size += value.length;
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    build(child);
    return this.bytes(field, child.finish());
  }

  packedInt64s(field: number, values: readonly number[]): this {
    const child = new ProtoWriter();
    for (const v of values) child.rawVarint(v);
    return this.bytes(field, child.finish());
  }

  packedFloats(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    values.forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytes(field, bytes);
  }

  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
