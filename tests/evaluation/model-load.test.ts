// The model-load frames' host side (protocol 2, docs/protocol.md "Model load"): payload layouts byte by
// byte, LOAD_STATUS refused at any other size, and every status in plain words. The exchange itself runs
// against the real firmware on QEMU (tests/runtime/qemu-runtime.test.ts).
import { describe, expect, it } from 'vitest';
import { LOAD_STATUS_BYTES, LoadStatusCode, ModelLoadError, decodeLoadStatus, describeLoadStatus, encodeLoadBegin, encodeLoadChunk, encodeLoadStatus } from '../../src/core/evaluation/model-load';
import { FrameType } from '../../src/core/evaluation/protocol-v1';

describe('model-load frames', () => {
  it('lays out LOAD_BEGIN, LOAD_CHUNK and LOAD_STATUS as documented', () => {
    expect(Array.from(encodeLoadBegin(0x01020304, 0xa0b0c0d0))).toEqual([4, 3, 2, 1, 0xd0, 0xc0, 0xb0, 0xa0]);
    expect(Array.from(encodeLoadChunk(0x100, Uint8Array.of(9, 8)))).toEqual([0, 1, 0, 0, 9, 8]);
    const status = { status: 18, dialect: 'cortex-m' as const, formatVersion: 1, received: 4096, detail: 4096, blobCapacity: 1 << 20, arenaCapacity: 1 << 20, maxChunk: 8188 };
    const bytes = encodeLoadStatus(status);
    expect(bytes.length).toBe(LOAD_STATUS_BYTES);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([18, 1, 1, 0, 0, 0x10, 0, 0]);
    expect(decodeLoadStatus(bytes)).toEqual(status);
    expect(() => decodeLoadStatus(bytes.subarray(0, 23))).toThrow(ModelLoadError);
    expect([FrameType.LoadBegin, FrameType.LoadChunk, FrameType.LoadEnd, FrameType.LoadStatus]).toEqual([6, 7, 8, 9]);
  });

  it('says every status in plain words', () => {
    expect(describeLoadStatus({ status: 4, detail: 1000 })).toBe('its CRC-32 does not match (corrupted in transfer or storage) (at byte 1000)');
    expect(describeLoadStatus({ status: LoadStatusCode.BlobTooLarge, detail: 114688 })).toMatch(/larger than the board's blob buffer \(114688 bytes\)/);
    expect(describeLoadStatus({ status: LoadStatusCode.WrongDialect, detail: 1 })).toMatch(/packed for the cortex-m dialect/);
    for (const code of Object.values(LoadStatusCode)) if (code !== 0) expect(describeLoadStatus({ status: code, detail: 0 })).not.toMatch(/^load status/);
    expect(describeLoadStatus({ status: 99, detail: 0 })).toBe('load status 99');
  });
});
