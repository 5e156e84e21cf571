// The Boards page's connect-time checks, over an in-memory link: a board that answers HELLO_REQUEST late,
// one that never answers, one that goes away, and HELLOs for another model or protocol.
import { describe, expect, it } from 'vitest';
import { FrameDecoder, FrameType, PROTOCOL_VERSION, encodeFrame, encodeHello, type Hello } from '../../core/evaluation/protocol-v1';
import { createMemoryPair } from '../../core/evaluation/transport';
import { checkBoardModel, readHello } from './board-connection';
import { latestDeployableRun, modelHashOf } from './board-model';
import type { RunRecord } from '../../core/experiments/store';

const HELLO: Hello = {
  protocolVersion: PROTOCOL_VERSION, abiVersion: 1, numberFormat: 8, counterKind: 2, modelHash: 0x7ba82f31, clockHz: 25_000_000,
  inputScale: 5, outputScale: 4, maxBatch: 16, inputDims: 64, outputDims: 10, inputShape: [8, 8, 1], boardId: 'virtual-cortex-m4', modelName: 'digits_q8',
};

describe('readHello', () => {
  it('asks again until the board answers, and returns its HELLO', async () => {
    const [host, board] = createMemoryPair();
    const decoder = new FrameDecoder();
    let requests = 0;
    board.onData((chunk) => {
      for (const frame of decoder.push(chunk)) {
        if (frame.type !== FrameType.HelloRequest) continue;
        requests++;
        if (requests === 3) void board.write(encodeFrame(FrameType.Hello, 0, encodeHello(HELLO)));
      }
    });
    const hello = await readHello(host, { intervalMs: 10, timeoutMs: 5_000 });
    expect(requests).toBe(3);
    expect(hello).toMatchObject({ modelHash: 0x7ba82f31, boardId: 'virtual-cortex-m4', modelName: 'digits_q8', inputShape: [8, 8, 1] });
  });

  it('says what to check when nothing answers, and when the link closes', async () => {
    const [host] = createMemoryPair();
    await expect(readHello(host, { intervalMs: 10, timeoutMs: 50 })).rejects.toThrow(/sent no HELLO within 0\.05 s; is Mote evaluation firmware running on it/);
    const [host2, board2] = createMemoryPair();
    setTimeout(() => void board2.close(), 20);
    await expect(readHello(host2, { intervalMs: 10, timeoutMs: 5_000 })).rejects.toThrow(/closed before it said HELLO/);
  });
});

describe('checkBoardModel', () => {
  it('accepts the matching model and refuses another, naming both hashes and what to flash', () => {
    expect(() => checkBoardModel(HELLO, 0x7ba82f31, 'out/qualia_codegen/m_qint8')).not.toThrow();
    expect(() => checkBoardModel(HELLO, 0x5eed0001, 'out/qualia_codegen/m_qint8')).toThrow(
      'the board "virtual-cortex-m4" runs model digits_q8 (hash 0x7ba82f31), not this run\'s out/qualia_codegen/m_qint8/ (hash 0x5eed0001). Flash firmware built from out/qualia_codegen/m_qint8/ (the C on the Deploy page) and connect again',
    );
    expect(() => checkBoardModel({ ...HELLO, protocolVersion: PROTOCOL_VERSION + 1 }, 0x7ba82f31, 'd')).toThrow(/speaks evaluation protocol v/);
  });
});

describe('board-model helpers', () => {
  it('reads MODEL_HASH from the generated header', () => {
    expect(modelHashOf('#define MODEL_HASH 0x7ba82f31u   /* FNV-1a */\n', 'model.h')).toBe(0x7ba82f31);
    expect(() => modelHashOf('#define MODEL_NAME "x"\n', 'out/m/model.h')).toThrow(/out\/m\/model\.h has no MODEL_HASH/);
  });

  it('picks the newest run whose C generation completed', () => {
    const run = (id: string, startedAt: string, status: 'completed' | 'failed'): RunRecord => ({
      id, experimentId: 'e', status: 'completed', stage: 'prepare_deploy', metrics: {}, toml: '', error: null, startedAt, finishedAt: null,
      results: { format: 1, bench: 'b', config: 'c', updated: '', runs: [] } as unknown as RunRecord['results'],
      stages: [{ stage: 'prepare_deploy', status, startedAt, finishedAt: startedAt, message: '' }],
    });
    const runs = [run('old', '2026-01-01T00:00:00Z', 'completed'), run('new-failed', '2026-01-03T00:00:00Z', 'failed'), run('mid', '2026-01-02T00:00:00Z', 'completed')];
    expect(latestDeployableRun(runs)?.id).toBe('mid');
    expect(latestDeployableRun([])).toBeUndefined();
  });
});
