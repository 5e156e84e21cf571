// The Boards page's "evaluate a Run on this board" after Install, without the page: the same functions
// (src/ui/state/runtime-evaluation.ts) load a model blob over a serial link into a Mote Runtime and evaluate
// it against the integer reference — here the runtime is the prebuilt RV32 image (the ESP32-C3's dialect,
// c99) on QEMU riscv32 virt, since no ESP32-C3 runtime image or emulator runs here — and a model too big for
// a board is refused with both sizes before any byte is sent.
import { describe, expect, it } from 'vitest';
import type { CodegenModel } from '../../src/core/codegen/types';
import { riscv32Virt } from '../../src/core/deploy/qemu-machine';
import { startQemuBoard } from '../../src/core/deploy/qemu.node';
import { prebuiltRuntimeImage } from '../../src/core/deploy/environment.node';
import { boardOf } from '../../src/core/deploy/registry';
import { encodeInputs, referenceOutputs } from '../../src/core/deploy/targets/linux-compare';
import { sizeOf } from '../../src/core/models/shapes';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import type { RawVector } from '../../src/core/evaluation/protocol-v1';
import { blobMisfit, evaluateBlobOverLink } from '../../src/ui/state/runtime-evaluation';
import { quantizeZooModel, randomData, zoo } from '../codegen/zoo';
import { requireTools } from '../firmware/helpers';

type Quantized = Extract<CodegenModel, { quantized: unknown }>;
const VECTORS = 10;

describe('a Run\'s model on a board with the Mote Runtime', () => {
  it('a model bigger than the board is refused with both sizes, nothing sent', () => {
    const esp = boardOf('ESP32C3');
    const blob = new Uint8Array(esp.capacity.flashBytes! + 100);
    new DataView(blob.buffer).setUint32(36, 10, true); // arena elements
    blob[12] = 8;
    const misfit = blobMisfit(esp, blob);
    // The runtime's own bound when the board declares one, else the board's flash/RAM.
    const holds = esp.runtime?.holds;
    if (holds) expect(misfit).toContain(`the model blob is ${blob.length} bytes and ${esp.title}'s Mote Runtime holds a blob of at most ${holds.blobBytes} bytes`);
    else expect(misfit).toContain(`flash: the model needs ${blob.length} B, the board has ${esp.capacity.flashBytes} B`);
    expect(misfit).toMatch(/nothing was sent to the board/i);
    expect(blobMisfit(esp, blob.subarray(0, 1000))).toBeNull();
  });

  it.runIf(requireTools('qemu-system-riscv32'))('loads the blob over the serial link with progress, evaluates bit-exact against the reference', async () => {
    const graph = zoo.conv2d();
    const model = { format: 'int8', quantized: quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, 64, 5), 64) } as Quantized;
    const test = { x: randomData(graph.shapes[graph.layers[0].name], VECTORS, 6).map((v) => v * 2), labels: Int32Array.from({ length: VECTORS }, (_, i) => i % 3), count: VECTORS };
    const { bytes: blob } = encodeModelBlob(model.quantized, { dialect: 'c99', name: 'conv2d' });
    const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
    const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
    const raw = encodeInputs(model, test, inputSize);
    const vectors: RawVector[] = Array.from({ length: VECTORS }, (_, i) => new Int8Array(raw.slice(i * inputSize, (i + 1) * inputSize).buffer));
    const reference = referenceOutputs(model, test, {});
    const board = await startQemuBoard(riscv32Virt, await prebuiltRuntimeImage('mote-runtime-virtual-rv32.elf'), { exactInstructions: false });
    const loads: number[] = [];
    const done: number[] = [];
    try {
      const result = await evaluateBlobOverLink({
        transport: board.transport, blob, vectors, labels: test.labels,
        reference: (_v, i) => reference.subarray(i * outputSize, (i + 1) * outputSize),
        onLoad: (p) => loads.push(p.sent), onProgress: (p) => done.push(p.done),
      });
      expect(result.report).toMatchObject({ n: VECTORS, bit_exact: true });
      expect(result.report.accuracy).toBe(result.report.reference_accuracy);
      expect(loads.at(-1)).toBe(blob.length);
      expect(done.at(-1)).toBe(VECTORS);
      expect(result.chunks).toBeGreaterThan(0);
    } finally {
      await board.transport.close();
      await board.stop();
    }
  }, 120_000);
});
