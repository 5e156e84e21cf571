// The runtime route over a real serial device in Node: the `serial` runtime executor (stream-runtime-board.ts)
// opens the board's port with the CLI's own serial code (stty + file descriptors), sends the model blob and
// evaluates. The "board" on the far end of a pseudo-terminal is the Pico's runtime UF2 booted in rp2040js
// (python3's pty module bridges the pty to it): the same bytes a real Pico's drive would program, reached
// the way a Pico behind a USB-UART adapter is. Bit-exact against the integer reference.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodegenModel } from '../../src/core/codegen/types';
import { nodeBoardEnvironment } from '../../src/core/deploy/environment.node';
import { readUf2 } from '../../src/core/deploy/formats/uf2';
import { boardOf } from '../../src/core/deploy/registry';
import { streamRuntimeExecutor } from '../../src/core/deploy/stream-runtime-board';
import { startVirtualPico } from '../../src/core/deploy/targets/rp2040/rp2040js-board';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { quantizeZooModel, randomData, zoo } from '../codegen/zoo';
import { requireTools } from '../firmware/helpers';
import { openPtyBridge } from './pty-bridge';

describe.runIf(requireTools('python3', 'stty'))('runtime route over a serial device', () => {
  it('RaspberryPiPico: the serial executor loads a zoo CNN blob into the runtime behind a pty and evaluates it bit-exact', async () => {
    const pico = boardOf('RaspberryPiPico');
    const uf2 = readUf2(new Uint8Array(readFileSync(join(resolve(__dirname, '../../runtime/prebuilt'), pico.runtime!.image))));
    const board = startVirtualPico(uf2.image);
    const bridge = await openPtyBridge((bytes) => { void board.transport.write(bytes); });
    try {
      board.transport.onData((chunk) => bridge.toPort(chunk));
      const path = bridge.path;
      const graph = zoo.conv2d();
      const quantized = quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, 16, 7), 16);
      const model = { format: 'int8', quantized } as Extract<CodegenModel, { format: 'int8' }>;
      const { bytes: blob } = encodeModelBlob(quantized, { dialect: 'c99', name: 'conv2d' });
      const count = 4;
      const test = { x: randomData(graph.shapes.input, count, 8).map((v) => v * 2), labels: Int32Array.from({ length: count }, (_, i) => i % 3), count };
      const lines: string[] = [];
      const row = await streamRuntimeExecutor('serial').evaluate({
        board: pico, blob, model, test, deployer: {}, evaluator: pico.evaluatorParams.parse({ dev: path }, 'deploy.evaluator.params', []) as Record<string, unknown>,
        transports: nodeBoardEnvironment().transports, log: (line) => lines.push(line),
      });
      expect(row).toMatchObject({ n: count, bit_exact: true, agreement: 1, rom_bytes: blob.length });
      expect(row.model_crc).toBe(new DataView(blob.buffer).getUint32(blob.length - 4, true));
      expect(row.cycles_per_inference).toBeGreaterThan(0);
      expect(lines[0]).toMatch(/RaspberryPiPico: model blob of \d+ bytes loaded over the serial link/);
    } finally {
      bridge.close();
      await board.stop();
    }
  }, 120_000);
});
