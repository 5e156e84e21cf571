import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/base/crc32';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import {
  CRC_BYTES, FrameDecoder, FrameType, HEADER_BYTES, MAX_PAYLOAD_BYTES, ProtocolError, decodeBoardError, decodeHello, decodeInfer, decodeResult, encodeBoardError,
  encodeFrame, encodeHello, encodeInfer, encodeResult,
} from '../../src/core/evaluation/protocol-v1';
import { createMemoryPair } from '../../src/core/evaluation/transport';
import { createRng } from '../../src/core/base/rng';
import { fixtureReference } from '../firmware/fixture-model';
import { randomInt8Vectors } from '../firmware/helpers';
import { SIM_HELLO, attachSimulatedBoard, createFaultyLink } from './simulated-board';

const text = (s: string) => new TextEncoder().encode(s);

describe('CRC-32', () => {
  it('matches the standard check values', () => {
    expect(crc32(text('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    expect(crc32(text('6789'), crc32(text('12345')))).toBe(0xcbf43926);
  });
});

describe('protocol v1 payloads', () => {
  it('round-trips HELLO, INFER, RESULT and ERROR in every number format', () => {
    expect(decodeHello(encodeHello(SIM_HELLO))).toEqual(SIM_HELLO);
    for (const format of [8, 16, 32] as const) {
      const vectors = format === 8 ? [Int8Array.of(1, -2, 3), Int8Array.of(-128, 127, 0)]
        : format === 16 ? [Int16Array.of(300, -32768, 32767)] : [Float32Array.of(0.5, -1e-7, 3.25)];
      const request = decodeInfer(encodeInfer({ firstIndex: 70000, vectors }, 3, format), 3, format);
      expect(request.firstIndex).toBe(70000);
      expect(request.vectors.map((v) => Array.from(v))).toEqual(vectors.map((v) => Array.from(v)));
      const result = decodeResult(encodeResult({ index: 9, counter: 0xfffffffe, outputs: vectors[0] }, format), 3, format);
      expect(result).toMatchObject({ index: 9, counter: 0xfffffffe });
      expect(Array.from(result.outputs)).toEqual(Array.from(vectors[0]));
    }
    expect(decodeBoardError(encodeBoardError({ code: 3, detail: 8, message: 'too many' }))).toEqual({ code: 3, detail: 8, message: 'too many' });
  });

  it('refuses payloads of the wrong size with a readable error', () => {
    expect(() => decodeResult(new Uint8Array(7), 8, 8)).toThrow(/RESULT is 7 bytes, expected 16/);
    expect(() => decodeInfer(encodeInfer({ firstIndex: 0, vectors: [Int8Array.of(1, 2)] }, 2, 8).slice(0, 9), 2, 8)).toThrow(ProtocolError);
    expect(() => decodeHello(encodeHello(SIM_HELLO).slice(0, 30))).toThrow(/HELLO/);
  });
});

function randomFrames(seed: number, count: number) {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, i) => {
    const payload = Uint8Array.from({ length: rng.int(300) }, () => (rng.next() < 0.1 ? 0xa5 : rng.int(256)));
    const type = [FrameType.Hello, FrameType.Infer, FrameType.Result, FrameType.Error][rng.int(4)];
    return { type, seq: i, payload, bytes: encodeFrame(type, i, payload) };
  });
}

function feedInChunks(decoder: FrameDecoder, stream: Uint8Array, seed: number) {
  const rng = createRng(seed);
  const out = [];
  for (let pos = 0; pos < stream.length;) {
    const n = 1 + rng.int(64);
    out.push(...decoder.push(stream.subarray(pos, pos + n)));
    pos += n;
  }
  return out;
}

const key = (f: { type: number; seq: number; payload: Uint8Array }) => `${f.type}:${f.seq}:${Array.from(f.payload).join(',')}`;

describe('frame decoder under corruption (seeded fuzz)', () => {
  it('recovers every frame from garbage between frames and arbitrary chunking', () => {
    const frames = randomFrames(1, 200);
    const rng = createRng(2);
    const parts: number[] = [];
    for (const f of frames) {
      const garbage = rng.int(12);
      for (let i = 0; i < garbage; i++) parts.push(rng.next() < 0.3 ? 0xa5 : rng.int(256));
      parts.push(...f.bytes);
    }
    const decoded = feedInChunks(new FrameDecoder(), Uint8Array.from(parts), 3);
    expect(decoded.map(key)).toEqual(frames.map(key));
  });

  it('never yields a frame that was not sent: bit flips, truncations, deletions', () => {
    for (let trial = 0; trial < 40; trial++) {
      const rng = createRng(100 + trial);
      const frames = randomFrames(200 + trial, 60);
      const sent = new Set(frames.map(key));
      const bytes: number[] = [];
      let intact = 0;
      for (const f of frames) {
        const copy = Array.from(f.bytes);
        const fault = rng.int(4);
        if (fault === 0) { copy[rng.int(copy.length)] ^= 1 << rng.int(8); }
        else if (fault === 1) { copy.length = rng.int(copy.length); }
        else if (fault === 2) { copy.splice(rng.int(copy.length), 1 + rng.int(3)); }
        else intact++;
        bytes.push(...copy);
      }
      const decoder = new FrameDecoder(1024);
      const decoded = feedInChunks(decoder, Uint8Array.from(bytes), 300 + trial);
      for (const f of decoded) expect(sent.has(key(f))).toBe(true);
      // A damaged frame may swallow the next one's start; most intact frames still come through.
      expect(decoded.length).toBeGreaterThanOrEqual(Math.floor(intact / 2));
    }
  });
});

describe('frame decoder under a flood of fake headers (attack)', () => {
  // Every byte position starts a sync pair announcing a maximal 64 KiB frame of a known type, so each one
  // is a candidate whose CRC must be checked. The old decoder re-hashed up to 64 KiB per candidate
  // (~28 s of CPU per MiB); the work must stay linear in the bytes received.
  it('hashes each received byte once and still finds the real frame after 1 MiB of fakes', () => {
    const fake = new Uint8Array([0xa5, 0xd3, 0xff, 0xff, FrameType.Result, 0, 0]);
    const flood = new Uint8Array(1 << 20);
    for (let i = 0; i + fake.length <= flood.length; i += fake.length) flood.set(fake, i);
    const real = encodeFrame(FrameType.Hello, 7, new Uint8Array([1, 2, 3]));
    const decoder = new FrameDecoder();
    const frames = [];
    for (let i = 0; i < flood.length; i += 4096) frames.push(...decoder.push(flood.subarray(i, i + 4096)));
    frames.push(...decoder.push(real));
    frames.push(...decoder.push(new Uint8Array(HEADER_BYTES + MAX_PAYLOAD_BYTES + CRC_BYTES))); // flush the last fake candidates
    expect(frames.map((f) => [f.type, f.seq])).toEqual([[FrameType.Hello, 7]]);
    expect(decoder.stats.hashedBytes).toBe(flood.length + real.length + HEADER_BYTES + MAX_PAYLOAD_BYTES + CRC_BYTES);
    expect(decoder.stats.crcChecks).toBeGreaterThan(flood.length / fake.length - 16);
    expect(decoder.stats.crcChecks).toBeLessThanOrEqual(decoder.stats.hashedBytes);
  });
});

describe('evaluator over a faulty link (seeded fuzz)', () => {
  const vectors = randomInt8Vectors(120, 16, 11);
  const labels = vectors.map((v) => { const r = Array.from(fixtureReference(v)); return r.indexOf(Math.max(...r)); });

  for (const [name, faults, resetProbability] of [
    ['bit flips', { bitFlipPerByte: 0.002 }, 0],
    ['dropped bytes and garbage', { dropPerByte: 0.001, garbagePerChunk: 0.05 }, 0],
    ['a board that resets mid-batch', {}, 0.03],
    ['everything at once', { bitFlipPerByte: 0.001, dropPerByte: 0.0005, garbagePerChunk: 0.03 }, 0.02],
  ] as const) {
    it(`never takes a wrong result: ${name}`, async () => {
      const rng = createRng(name.length * 31);
      const link = createFaultyLink(rng.fork('wire'), faults);
      const board = attachSimulatedBoard(link.board, { model: (v) => fixtureReference(v), rng: rng.fork('resets'), resetProbability });
      const report = await evaluateOnBoard({
        transport: link.host, vectors, labels, reference: (v) => fixtureReference(v), expectedModelHash: SIM_HELLO.modelHash,
        frameTimeoutMs: 60, helloTimeoutMs: 60, maxRetries: 50,
      });
      expect(report.n).toBe(vectors.length);
      expect(report.bit_exact).toBe(true);
      report.rows.forEach((row, i) => expect(row.outputs).toEqual(Array.from(fixtureReference(vectors[i]))));
      expect(report.accuracy).toBe(1);
      if (resetProbability) expect(report.resets).toBeGreaterThan(0);
      if (resetProbability) expect(board.resets()).toBeGreaterThan(0);
      await link.host.close();
    });
  }

  it('continues from the last confirmed vector after the connection drops', async () => {
    let connections = 0;
    const connect = () => {
      const [host, boardEnd] = createMemoryPair();
      connections++;
      const limit = connections < 3 ? 25 : Infinity;
      attachSimulatedBoard(boardEnd, { model: (v) => fixtureReference(v) });
      // Cut the cable after `limit` results on the first two connections.
      let results = 0;
      host.onData((chunk) => { results += chunk.filter((b) => b === 0xd3).length; if (results > limit + 4) void boardEnd.close(); });
      return host;
    };
    const progress: number[] = [];
    const report = await evaluateOnBoard({
      transport: connect(), vectors, labels, reference: (v) => fixtureReference(v), reconnect: async () => connect(),
      frameTimeoutMs: 200, helloTimeoutMs: 100, onProgress: (p) => progress.push(p.done),
    });
    expect(report.reconnects).toBeGreaterThanOrEqual(1);
    expect(report.n).toBe(vectors.length);
    expect(report.bit_exact).toBe(true);
    expect(progress[progress.length - 1]).toBe(vectors.length);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('refuses a board running another model', async () => {
    const [host, boardEnd] = createMemoryPair();
    attachSimulatedBoard(boardEnd, { model: (v) => fixtureReference(v) });
    await expect(evaluateOnBoard({ transport: host, vectors, reference: (v) => fixtureReference(v), expectedModelHash: 0x1234 }))
      .rejects.toThrow(/hash 0x5eed0001.*0x00001234.*flash the firmware built for this model/);
  });
});
