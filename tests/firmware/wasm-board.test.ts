import { describe, expect, it } from 'vitest';
import { createWasmToolchain } from '../../src/core/deploy/toolchain';
import { serveWasmBoard, startWasmBoard } from '../../src/core/deploy/wasm-board';
import { createPortTransport, type PortLike } from '../../src/core/evaluation/transport-port';
import { MessageChannel } from 'node:worker_threads';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { FIXTURE_HASH, fixtureReference } from './fixture-model';
import { randomInt8Vectors, readModelDir } from './helpers';

describe('Wasm board (template + fixture compiled with @yowasp/clang, run in Node)', () => {
  it('speaks protocol v1 over the in-memory transport and returns the same integers as the reference', async () => {
    const build = await createWasmToolchain().build({ board: 'wasm', modelFiles: readModelDir() });
    const wasm = build.files['firmware.wasm'];
    expect(wasm.length).toBeGreaterThan(100);
    const board = await startWasmBoard(wasm);
    const vectors = randomInt8Vectors(300, 16, 99);
    const report = await evaluateOnBoard({ transport: board.transport, vectors, reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH, batchSize: 64 });
    await board.stop();
    expect(report.hello.boardId).toBe('wasm32');
    expect(report.hello.maxBatch).toBe(255);
    expect(report.n).toBe(300);
    expect(report.bit_exact).toBe(true);
    expect(report.counter_kind).toBe('microseconds');

    // The same firmware served over a MessagePort, as a browser worker runs it.
    const channel = new MessageChannel();
    const served = await serveWasmBoard(channel.port1 as unknown as PortLike, wasm);
    const viaPort = await evaluateOnBoard({ transport: createPortTransport(channel.port2 as unknown as PortLike), vectors: vectors.slice(0, 50), reference: (v) => fixtureReference(v), expectedModelHash: FIXTURE_HASH, helloTimeoutMs: 300 });
    expect(viaPort.bit_exact).toBe(true);
    await served.stop();
    channel.port1.close();
    channel.port2.close();
  }, 120_000);
});
