// Intel HEX, the text image a Nucleo's ST-LINK drive (and a micro:bit's DAPLink drive) programs when the
// file is copied onto it. Records `:LLAAAATT<data>CC`, CC the two's complement of the byte sum; types 00
// data, 01 end of file, 04 extended linear address (upper 16 bits), 05 start linear address; at most 32
// data bytes per record (DAPLink's limit). Facts: microbit-foundation spec-universal-hex docs/format.md;
// boards-reference.md §3.5, §4.5.
import { InputFileError } from '../../base/errors';

export interface HexSegment {
  address: number;
  data: Uint8Array;
}

const RECORD_BYTES = 32;

function record(type: number, address: number, data: ArrayLike<number>): string {
  const bytes = [data.length, (address >> 8) & 0xff, address & 0xff, type, ...Array.from(data)];
  const sum = bytes.reduce((a, b) => a + b, 0);
  return `:${[...bytes, (0x100 - (sum & 0xff)) & 0xff].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join('')}\n`;
}

/** The HEX text for `segments` (each at its own address), with an optional start address record. */
export function writeIntelHex(segments: HexSegment[], options: { start?: number } = {}): string {
  let out = '';
  let upper = -1;
  for (const segment of segments) {
    if (segment.address < 0 || segment.address + segment.data.length > 0x1_0000_0000) throw new InputFileError(`a HEX segment at 0x${segment.address.toString(16)} does not fit in 32-bit addresses`);
    for (let at = 0; at < segment.data.length;) {
      const address = segment.address + at;
      if (address >>> 16 !== upper) {
        upper = address >>> 16;
        out += record(0x04, 0, [upper >> 8, upper & 0xff]);
      }
      // A record never crosses a 64 KiB boundary (its address is 16 bits under the 04 record).
      const n = Math.min(RECORD_BYTES, segment.data.length - at, 0x10000 - (address & 0xffff));
      out += record(0x00, address & 0xffff, segment.data.subarray(at, at + n));
      at += n;
    }
  }
  if (options.start !== undefined) {
    const s = options.start >>> 0;
    out += record(0x05, 0, [s >>> 24, (s >> 16) & 0xff, (s >> 8) & 0xff, s & 0xff]);
  }
  return out + ':00000001FF\n';
}

export interface IntelHexImage {
  /** Contiguous runs of data, by address. */
  segments: HexSegment[];
  start?: number;
}

/** Reads HEX text: every record's checksum, the 02/04 address records, overlapping data refused. */
export function readIntelHex(text: string): IntelHexImage {
  const bytes = new Map<number, number>();
  let base = 0;
  let start: number | undefined;
  let ended = false;
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const fail = (what: string): never => { throw new InputFileError(`not a valid Intel HEX file: line ${index + 1} ${what}`); };
    if (ended) fail('follows the end-of-file record');
    if (!/^:([0-9A-Fa-f]{2})+$/.test(line)) fail('is not a record (":" then hex digit pairs)');
    const b = line.slice(1).match(/../g)!.map((h) => parseInt(h, 16));
    if (b.length < 5 || b.length !== b[0] + 5) fail(`declares ${b[0]} data bytes but holds ${b.length - 5}`);
    if ((b.reduce((a, x) => a + x, 0) & 0xff) !== 0) fail('has a wrong checksum');
    const type = b[3];
    const offset = (b[1] << 8) | b[2];
    const data = b.slice(4, -1);
    if (type === 0x00) {
      data.forEach((value, i) => {
        const address = (base + offset + i) >>> 0;
        if (bytes.has(address)) fail(`writes address 0x${address.toString(16)} a second time`);
        bytes.set(address, value);
      });
    } else if (type === 0x01) ended = true;
    else if (type === 0x02) base = ((data[0] << 8) | data[1]) << 4;
    else if (type === 0x04) base = (((data[0] << 8) | data[1]) << 16) >>> 0;
    else if (type === 0x03 || type === 0x05) start = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0;
  });
  if (!ended) throw new InputFileError('not a valid Intel HEX file: no end-of-file record (:00000001FF); the file is truncated');
  const addresses = [...bytes.keys()].sort((a, b) => a - b);
  const segments: HexSegment[] = [];
  let run: number[] = [];
  let runStart = 0;
  for (const address of addresses) {
    if (run.length && address !== runStart + run.length) {
      segments.push({ address: runStart, data: Uint8Array.from(run) });
      run = [];
    }
    if (!run.length) runStart = address;
    run.push(bytes.get(address)!);
  }
  if (run.length) segments.push({ address: runStart, data: Uint8Array.from(run) });
  return { segments, ...(start !== undefined ? { start } : {}) };
}
