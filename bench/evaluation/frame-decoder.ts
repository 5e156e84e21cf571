// Protocol v1 frame decoder throughput, for ordinary traffic and for an attack: a port flooding fake
// maximal headers (every position a sync pair announcing a 64 KiB frame). The baseline, measured in the same
// run, is the previous algorithm (re-hash every candidate frame from its bytes), kept here only to compare.
//   node --import ./bench/import/register.mjs bench/evaluation/frame-decoder.ts
import { crc32 } from '../../src/core/base/crc32';
import { FrameDecoder, FrameType, encodeFrame, HEADER_BYTES, CRC_BYTES, MAX_PAYLOAD_BYTES } from '../../src/core/evaluation/protocol-v1';

/** The decoder before the linear rewrite: concatenate on every push, CRC each candidate's bytes. */
function previousDecode(chunks: Uint8Array[]): number {
  let buffer = new Uint8Array(0);
  let frames = 0;
  for (const chunk of chunks) {
    const merged = new Uint8Array(buffer.length + chunk.length);
    merged.set(buffer);
    merged.set(chunk, buffer.length);
    buffer = merged;
    let pos = 0;
    while (pos < buffer.length) {
      if (buffer[pos] !== 0xa5) { pos++; continue; }
      if (pos + 1 >= buffer.length) break;
      if (buffer[pos + 1] !== 0xd3) { pos++; continue; }
      if (pos + HEADER_BYTES > buffer.length) break;
      const length = buffer[pos + 2] | (buffer[pos + 3] << 8);
      const total = HEADER_BYTES + length + CRC_BYTES;
      if (pos + total > buffer.length) break;
      const expected = crc32(buffer.subarray(pos + 2, pos + HEADER_BYTES + length));
      const got = new DataView(buffer.buffer, buffer.byteOffset + pos + total - 4, 4).getUint32(0, true);
      if (expected !== got) { pos++; continue; }
      frames++;
      pos += total;
    }
    buffer = buffer.slice(pos);
  }
  return frames;
}

function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

function time(run: () => void): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

const MiB = 1 << 20;
const normal = new Uint8Array(MiB);
const result = encodeFrame(FrameType.Result, 1, new Uint8Array(48).map((_, i) => i));
for (let i = 0; i + result.length <= normal.length; i += result.length) normal.set(result, i);
const fake = new Uint8Array([0xa5, 0xd3, 0xff, 0xff, FrameType.Result, 0, 0]);
const flood = new Uint8Array(MiB);
for (let i = 0; i + fake.length <= flood.length; i += fake.length) flood.set(fake, i);
const tail = new Uint8Array(HEADER_BYTES + MAX_PAYLOAD_BYTES + CRC_BYTES);

for (const [name, bytes] of [['ordinary RESULT frames', normal], ['fake maximal headers', flood]] as const) {
  const chunks = [...chunked(bytes, 4096), tail];
  const current = time(() => { const d = new FrameDecoder(); for (const c of chunks) d.push(c); });
  // The previous algorithm on the flood takes ~30 s per MiB: measure it on 1/16 MiB and scale.
  const share = name === 'fake maximal headers' ? 16 : 1;
  const baseChunks = [...chunked(bytes.subarray(0, bytes.length / share), 4096), tail];
  const previous = time(() => previousDecode(baseChunks)) * share;
  console.log(`${name}: ${(current).toFixed(0)} ms per MiB (${(1000 / current).toFixed(1)} MiB/s); previous algorithm ${(previous / 1000).toFixed(2)} s per MiB${share > 1 ? ' (measured on 1/16 MiB)' : ''}; ratio ${(previous / current).toFixed(1)}×`);
}
