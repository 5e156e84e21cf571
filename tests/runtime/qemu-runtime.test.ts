// The Mote Runtime's prebuilt images on QEMU (runtime/prebuilt/mote-runtime-virtual-*.elf): a zoo model sent
// as a blob over the emulated serial link (protocol 2's model load), evaluated bit-exactly against the
// integer reference with the board's own instruction counter; and the loader's refusals of hostile input
// (truncated chunk and blob, wrong CRCs, oversized blob and arena, a blob for another dialect, INFER
// before any model), each answered with a plain status, the board still serving a good model afterwards.
// A firmware with its model compiled in (protocol 1) is told apart in plain words. Three emulator boots in
// all (CI time).
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/base/crc32';
import type { CodegenModel } from '../../src/core/codegen/types';
import { mps2An386, riscv32Virt } from '../../src/core/deploy/qemu-machine';
import { startQemuBoard } from '../../src/core/deploy/qemu.node';
import { prebuiltRuntimeImage } from '../../src/core/deploy/environment.node';
import { evaluateOnQemuRuntime } from '../../src/core/deploy/qemu-runtime-board.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { LoadStatusCode, ModelLoadError, decodeLoadStatus, describeLoadStatus, encodeLoadBegin, encodeLoadChunk, loadModelOnBoard } from '../../src/core/evaluation/model-load';
import { ErrorCode, FrameDecoder, FrameType, decodeBoardError, encodeFrame, encodeInfer, type Frame } from '../../src/core/evaluation/protocol-v1';
import type { ByteTransport } from '../../src/core/evaluation/transport';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { BlobStatus } from '../../src/core/runtime/blob-format';
import { quantizeZooModel, randomData, zoo } from '../codegen/zoo';
import { readModelDir, requireTools } from '../firmware/helpers';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';

type Quantized = Extract<CodegenModel, { quantized: unknown }>;
const VECTORS = 12;

function zooModel(name: string, bits: 8 | 16, seed: number): Quantized {
  const graph = zoo[name]();
  return { format: `int${bits}`, quantized: quantizeZooModel(graph, bits, 'nearest', randomData(graph.shapes.input, 64, seed), 64) } as Quantized;
}

function testSet(model: Quantized, seed: number) {
  const graph = model.quantized.graph;
  return { x: randomData(graph.shapes[graph.layers[0].name], VECTORS, seed).map((v) => v * 2), labels: Int32Array.from({ length: VECTORS }, (_, i) => i % 3), count: VECTORS };
}

/** Raw frame exchange for the hostile cases: send one frame, collect the board's answers with that sequence. */
function rawLink(transport: ByteTransport) {
  const decoder = new FrameDecoder();
  const frames: Frame[] = [];
  const waiters: (() => void)[] = [];
  const unsubscribe = transport.onData((chunk) => { frames.push(...decoder.push(chunk)); waiters.splice(0).forEach((w) => w()); });
  let seq = 100;
  const answer = async (mySeq: number, timeoutMs = 3000): Promise<Frame> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const at = frames.findIndex((f) => f.seq === mySeq && (f.type === FrameType.LoadStatus || f.type === FrameType.Error));
      if (at >= 0) return frames.splice(at, 1)[0];
      if (Date.now() > deadline) throw new Error(`no answer to frame ${mySeq}`);
      await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
    }
  };
  return {
    /** The boot HELLO: the board reads nothing before (its UART init clears the receive FIFO). */
    async booted() {
      const deadline = Date.now() + 10_000;
      while (!frames.some((f) => f.type === FrameType.Hello)) {
        if (Date.now() > deadline) throw new Error('the board sent no HELLO');
        await new Promise<void>((resolve) => { waiters.push(resolve); setTimeout(resolve, 50); });
      }
    },
    async send(type: number, payload: Uint8Array, mangle?: (frame: Uint8Array) => Uint8Array) {
      const mySeq = ++seq;
      const frame = encodeFrame(type, mySeq, payload);
      await transport.write(mangle ? mangle(frame) : frame);
      return answer(mySeq);
    },
    dispose: unsubscribe,
  };
}

const withRuntime = async (frame: Frame) => (frame.type === FrameType.LoadStatus ? decodeLoadStatus(frame.payload) : { error: decodeBoardError(frame.payload) });

describe.runIf(requireTools('qemu-system-arm', 'qemu-system-riscv32', 'gcc'))('the Mote Runtime images on QEMU', () => {
  it('VirtualCortexM4 (cortex-m dialect): a zoo CNN loaded over the serial link is bit-exact, with its instruction counts', async () => {
    const model = zooModel('conv2d', 8, 21);
    const image = await prebuiltRuntimeImage('mote-runtime-virtual-cortex-m4.elf');
    const row = await evaluateOnQemuRuntime(mps2An386, image, model, testSet(model, 22), { dialect: 'cortex-m', name: 'conv2d', chunkBytes: 1000 });
    const { bytes, report } = encodeModelBlob(model.quantized, { dialect: 'cortex-m', name: 'conv2d' });
    expect(row).toMatchObject({ n: VECTORS, bit_exact: true, agreement: 1, first_mismatch: null, board_id: 'virtual-cortex-m4', counter_kind: 'instructions', model_crc: report.crc >>> 0, rom_bytes: bytes.length, ram_bytes: report.arenaBytes });
    expect(row.accuracy).toBe(row.reference_accuracy);
    expect(row.runtime).toMatchObject({ dialect: 'cortex-m', formatVersion: 1 });
    expect(row.load_chunks).toBe(Math.ceil(bytes.length / 1000));
    expect(row.instruction_counts).toHaveLength(VECTORS);
    // Inference is data-independent up to activations: every count is close to the mean, and plausible per MAC.
    expect(row.instructions_per_inference!).toBeGreaterThan(row.macs / 4);
    expect(row.estimated_cycles_per_inference).toBeGreaterThan(0);
  }, 120_000);

  it('VirtualRV32 (portable dialect): hostile loads are refused in plain words, then a good model is bit-exact', async () => {
    const model = zooModel('depthwise', 16, 31);
    const test = testSet(model, 32);
    const { bytes: blob } = encodeModelBlob(model.quantized, { dialect: 'c99', name: 'depthwise' });
    const crc = new DataView(blob.buffer).getUint32(blob.length - 4, true);
    const board = await startQemuBoard(riscv32Virt, await prebuiltRuntimeImage('mote-runtime-virtual-rv32.elf'), { exactInstructions: true });
    try {
      const link = rawLink(board.transport);
      await link.booted();
      // INFER before any model: ERROR 6.
      const early = await link.send(FrameType.Infer, encodeInfer({ firstIndex: 0, vectors: [new Int16Array(4)] }, 4, 16));
      expect(decodeBoardError(early.payload).code).toBe(ErrorCode.NoModel);
      // Oversized blob: refused at LOAD_BEGIN, with the capacity.
      const big = await withRuntime(await link.send(FrameType.LoadBegin, encodeLoadBegin(8 * 1024 * 1024, 0)));
      expect(big).toMatchObject({ status: LoadStatusCode.BlobTooLarge, detail: 1024 * 1024, dialect: 'c99' });
      // A chunk frame with a wrong frame CRC: ERROR 1 (the host re-sends), nothing stored.
      expect(await withRuntime(await link.send(FrameType.LoadBegin, encodeLoadBegin(blob.length, crc)))).toMatchObject({ status: 0, received: 0 });
      const corrupted = await link.send(FrameType.LoadChunk, encodeLoadChunk(0, blob.subarray(0, 200)), (f) => { f[f.length - 1] ^= 1; return f; });
      expect(decodeBoardError(corrupted.payload).code).toBe(ErrorCode.BadCrc);
      // A chunk out of order: the board names the offset it expects.
      expect(await withRuntime(await link.send(FrameType.LoadChunk, encodeLoadChunk(200, blob.subarray(200, 400))))).toMatchObject({ status: LoadStatusCode.BadOffset, detail: 0 });
      // Truncated blob: LOAD_END after half of it.
      expect(await withRuntime(await link.send(FrameType.LoadChunk, encodeLoadChunk(0, blob.subarray(0, 200))))).toMatchObject({ status: 0, received: 200 });
      const half = await withRuntime(await link.send(FrameType.LoadEnd, new Uint8Array(0)));
      expect(half).toMatchObject({ status: LoadStatusCode.Incomplete, detail: 200 });
      expect(describeLoadStatus(half as never)).toMatch(/before every byte.*200 bytes received/);
      // After a refusal the transfer is over: a chunk is answered "not started".
      expect(await withRuntime(await link.send(FrameType.LoadChunk, encodeLoadChunk(200, blob.subarray(200, 300))))).toMatchObject({ status: LoadStatusCode.NotStarted });
      // A truncated chunk frame (cut mid-payload): the board waits, the next frames complete it into a bad CRC.
      await board.transport.write(encodeFrame(FrameType.LoadChunk, 7, encodeLoadChunk(0, blob.subarray(0, 64))).subarray(0, 40));
      link.dispose();

      const refuse = async (bytes: Uint8Array) => {
        try { await loadModelOnBoard({ transport: board.transport, blob: bytes, frameTimeoutMs: 300 }); } catch (error) { return error as ModelLoadError; }
        throw new Error('the board accepted a hostile blob');
      };
      // Wrong blob CRC (one weight flipped): the runtime's own check.
      const flipped = blob.slice(); flipped[blob.length - 20] ^= 0x40;
      const badCrc = await refuse(flipped);
      expect(badCrc).toBeInstanceOf(ModelLoadError);
      expect(badCrc.status).toBe(BlobStatus.badCrc);
      expect(badCrc.message).toMatch(/CRC-32 does not match/);
      // An arena larger than the board's, CRC recomputed: refused as soon as the header is in.
      const huge = blob.slice(); const view = new DataView(huge.buffer);
      view.setUint32(36, 4 * 1024 * 1024, true); view.setUint32(huge.length - 4, crc32(huge.subarray(0, huge.length - 4)), true);
      expect(await refuse(huge)).toMatchObject({ status: BlobStatus.tooLarge, detail: 36 });
      // A truncated blob whose size field still says the whole length.
      const cut = blob.slice(0, blob.length - 8);
      expect((await refuse(cut)).status).toBe(BlobStatus.truncated);
      // A blob for the other dialect (cortex-m packed weights): this runtime is portable.
      const conv = zooModel('conv2d', 8, 41);
      const packed = encodeModelBlob(conv.quantized, { dialect: 'cortex-m' });
      expect(packed.report.packed).toBe(true);
      const dialect = await refuse(packed.bytes);
      expect(dialect.status).toBe(LoadStatusCode.WrongDialect);
      expect(dialect.message).toMatch(/cortex-m dialect.*portable \(c99\)/);

      // Then a good model loads and evaluates bit-exactly on the same boot.
      const loaded = await loadModelOnBoard({ transport: board.transport, blob, chunkBytes: 512, frameTimeoutMs: 2000 });
      expect(loaded.hello).toMatchObject({ protocolVersion: 2, boardId: 'virtual-rv32', modelName: 'depthwise', modelHash: crc >>> 0, numberFormat: 16 });
      const inputSize = loaded.hello.inputDims;
      const { encodeInputs, referenceOutputs } = await import('../../src/core/deploy/targets/linux-compare');
      const raw = new Int16Array(encodeInputs(model, test, inputSize).slice().buffer);
      const reference = referenceOutputs(model, test);
      const outputSize = loaded.hello.outputDims;
      const report = await evaluateOnBoard({
        transport: board.transport, hello: loaded.hello, expectedModelHash: crc,
        vectors: Array.from({ length: VECTORS }, (_, i) => raw.slice(i * inputSize, (i + 1) * inputSize)),
        reference: (_v, i) => reference.subarray(i * outputSize, (i + 1) * outputSize),
      });
      expect(report).toMatchObject({ n: VECTORS, bit_exact: true, counter_kind: 'instructions' });
      await board.transport.close();
      await board.stop();
      // minstret, read just outside the plugin's markers: a constant offset from the exact count.
      const counts = await board.instructionCounts();
      expect(counts).toHaveLength(VECTORS);
      expect(new Set(report.rows.map((r, i) => r.counter - counts[i])).size).toBe(1);
    } finally {
      await board.stop();
    }
  }, 120_000);

  it('a generated-C firmware (protocol 1, model compiled in) is refused in plain words, not loaded', async () => {
    const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: readModelDir() });
    const board = await startVirtualCortexM4(build.files['firmware.elf']);
    try {
      const { bytes } = encodeModelBlob(zooModel('conv2d', 8, 51).quantized, { dialect: 'cortex-m' });
      const error = await loadModelOnBoard({ transport: board.transport, blob: bytes }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelLoadError);
      expect((error as Error).message).toMatch(/protocol v1: its firmware has its model compiled in \(fixture_dense_q8\).*install the Mote Runtime image/);
    } finally {
      await board.stop();
    }
  }, 60_000);
});
