// The micro:bit v2's evaluation path in Node without a micro:bit: `deploy_and_evaluate --deploy.target=MicrobitV2
// --deploy.evaluator.params.dev=…` takes the `serial` runtime executor (stream-runtime-board.ts) with the board's
// own declaration (cortex-m blob layout, its buffers, 115200 baud). There is no nRF52 emulator, so the far end
// of the pseudo-terminal is a STAND-IN: the VirtualCortexM4 runtime image on QEMU mps2-an386, whose kernels are
// the micro:bit image's instruction for instruction (tests/boards/microbit-v2-image.test.ts). What this shows:
// no micro:bit-specific evaluation code is needed and the cortex-m blob evaluates bit-exact over a serial
// device; what it cannot show: the micro:bit's UARTE, DAPLink's serial bridge and its DWT figures.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CodegenModel } from '../../src/core/codegen/types';
import { nodeBoardEnvironment } from '../../src/core/deploy/environment.node';
import { startQemuBoard } from '../../src/core/deploy/qemu.node';
import { boardOf } from '../../src/core/deploy/registry';
import { runtimeMisfit } from '../../src/core/deploy/runtime-fit';
import { streamRuntimeExecutor } from '../../src/core/deploy/stream-runtime-board';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { quantizeZooModel, randomData, zoo } from '../codegen/zoo';
import { requireTools } from '../firmware/helpers';
import { openPtyBridge } from './pty-bridge';

describe.runIf(requireTools('python3', 'stty', 'qemu-system-arm'))('MicrobitV2 runtime route over a serial device (stand-in far end)', () => {
  it('the serial executor loads a cortex-m zoo CNN blob for MicrobitV2 and evaluates it bit-exact (VirtualCortexM4 runtime behind a pty)', async () => {
    const microbit = boardOf('MicrobitV2');
    const standIn = boardOf('VirtualCortexM4');
    const elf = new Uint8Array(readFileSync(join(resolve(__dirname, '../../runtime/prebuilt'), 'mote-runtime-virtual-cortex-m4.elf')));
    const graph = zoo.conv2d();
    const quantized = quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, 16, 11), 16);
    const model = { format: 'int8', quantized } as Extract<CodegenModel, { format: 'int8' }>;
    const { bytes: blob } = encodeModelBlob(quantized, { dialect: microbit.runtime!.dialect, name: 'conv2d' });
    expect(runtimeMisfit(microbit, blob)).toBeNull();
    const board = await startQemuBoard(standIn.qemu!, elf);
    const bridge = await openPtyBridge((bytes) => { void board.transport.write(bytes); });
    try {
      board.transport.onData((chunk) => bridge.toPort(chunk));
      const count = 4;
      const test = { x: randomData(graph.shapes.input, count, 12).map((v) => v * 2), labels: Int32Array.from({ length: count }, (_, i) => i % 3), count };
      const evaluator = microbit.evaluatorParams.parse({ dev: bridge.path }, 'deploy.evaluator.params', []) as Record<string, unknown>;
      expect(microbit.serial!(evaluator as never).baudrate).toBe(115200);
      const lines: string[] = [];
      const row = await streamRuntimeExecutor('serial').evaluate({
        board: microbit, blob, model, test, deployer: {}, evaluator, transports: nodeBoardEnvironment().transports, log: (line) => lines.push(line),
      });
      expect(row).toMatchObject({ n: count, bit_exact: true, agreement: 1, rom_bytes: blob.length });
      expect(lines[0]).toMatch(/MicrobitV2: model blob of \d+ bytes loaded over the serial link/);
    } finally {
      bridge.close();
      await board.stop();
    }
  }, 120_000);
});
