// A board simulated in TypeScript speaking protocol v1 (as the C template does), and a faulty wire between
// host and board that flips bits, drops and inserts bytes, all from a seeded RNG. Test-only.
import {
  CounterKind, FrameDecoder, FrameType, decodeInfer, encodeBoardError, encodeFrame, encodeHello, encodeResult,
  type Hello, type RawVector,
} from '../../src/core/evaluation/protocol-v1';
import { createMemoryPair, type ByteTransport } from '../../src/core/evaluation/transport';
import type { Rng } from '../../src/core/base/rng';

export const SIM_HELLO: Hello = {
  protocolVersion: 1, abiVersion: 1, numberFormat: 8, counterKind: CounterKind.Cycles, modelHash: 0x5eed0001,
  clockHz: 80_000_000, inputScale: 5, outputScale: 4, maxBatch: 8, inputDims: 16, outputDims: 8,
  inputShape: [4, 4], boardId: 'simulated', modelName: 'fixture_dense_q8',
};

export interface SimulatedBoardOptions {
  model: (input: RawVector) => RawVector;
  hello?: Hello;
  /** Probability, per served vector, that the board reboots (sends HELLO, forgets the rest of the batch). */
  resetProbability?: number;
  rng?: Rng;
}

/** Serves INFER requests on `transport` until it closes. */
export function attachSimulatedBoard(transport: ByteTransport, options: SimulatedBoardOptions): { served: () => number; resets: () => number } {
  const hello = options.hello ?? SIM_HELLO;
  const decoder = new FrameDecoder();
  let served = 0;
  let resets = 0;
  const send = (type: number, seq: number, payload: Uint8Array) => { transport.write(encodeFrame(type, seq, payload)).catch(() => undefined); };
  send(FrameType.Hello, 0, encodeHello(hello));
  transport.onData((chunk) => {
    for (const frame of decoder.push(chunk)) {
      if (frame.type === FrameType.HelloRequest) { send(FrameType.Hello, frame.seq, encodeHello(hello)); continue; }
      if (frame.type !== FrameType.Infer) { send(FrameType.Error, frame.seq, encodeBoardError({ code: 4, detail: frame.type, message: '' })); continue; }
      const request = decodeInfer(frame.payload, hello.inputDims, hello.numberFormat);
      for (let i = 0; i < request.vectors.length; i++) {
        if (options.rng && options.resetProbability && options.rng.next() < options.resetProbability) {
          resets++;
          send(FrameType.Hello, 0, encodeHello(hello));
          break;
        }
        served++;
        send(FrameType.Result, frame.seq, encodeResult({ index: request.firstIndex + i, counter: 1000 + i, outputs: options.model(request.vectors[i]) }, hello.numberFormat));
      }
    }
  });
  return { served: () => served, resets: () => resets };
}

export interface WireFaults {
  bitFlipPerByte?: number;
  dropPerByte?: number;
  garbagePerChunk?: number;
}

/** host end ⇄ (faulty wire) ⇄ board end. */
export function createFaultyLink(rng: Rng, faults: WireFaults): { host: ByteTransport; board: ByteTransport } {
  const [host, hostWire] = createMemoryPair();
  const [boardWire, board] = createMemoryPair();
  const mangle = (chunk: Uint8Array): Uint8Array => {
    const out: number[] = [];
    if (faults.garbagePerChunk && rng.next() < faults.garbagePerChunk) {
      const n = 1 + rng.int(20);
      for (let i = 0; i < n; i++) out.push(rng.next() < 0.2 ? 0xa5 : rng.int(256));
    }
    for (const byte of chunk) {
      if (faults.dropPerByte && rng.next() < faults.dropPerByte) continue;
      out.push(faults.bitFlipPerByte && rng.next() < faults.bitFlipPerByte ? byte ^ (1 << rng.int(8)) : byte);
    }
    return Uint8Array.from(out);
  };
  hostWire.onData((chunk) => { boardWire.write(mangle(chunk)).catch(() => undefined); });
  boardWire.onData((chunk) => { hostWire.write(mangle(chunk)).catch(() => undefined); });
  return { host, board };
}

/** Wraps a real transport (e.g. QEMU's TCP serial) so both directions suffer the given faults. */
export function faultyTransport(inner: ByteTransport, rng: Rng, faults: WireFaults): ByteTransport {
  const [outer, near] = createMemoryPair();
  const mangle = (chunk: Uint8Array): Uint8Array => {
    const out: number[] = [];
    if (faults.garbagePerChunk && rng.next() < faults.garbagePerChunk) for (let i = 0, n = 1 + rng.int(8); i < n; i++) out.push(rng.int(256));
    for (const byte of chunk) {
      if (faults.dropPerByte && rng.next() < faults.dropPerByte) continue;
      out.push(faults.bitFlipPerByte && rng.next() < faults.bitFlipPerByte ? byte ^ (1 << rng.int(8)) : byte);
    }
    return Uint8Array.from(out);
  };
  near.onData((chunk) => { inner.write(mangle(chunk)).catch(() => undefined); });
  inner.onData((chunk) => { near.write(mangle(chunk)).catch(() => undefined); });
  inner.closed.then(() => near.close());
  return outer;
}
