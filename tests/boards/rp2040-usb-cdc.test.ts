// The Pico's Mote Runtime over its own USB port: the runtime UF2 (runtime/prebuilt/mote-runtime-rp2040.uf2,
// the bytes a real Pico's RPI-RP2 drive programs) booted in rp2040js, enumerated by rp2040js's own USBCDC
// helper as a CDC-ACM device (Mote's USB stack, runtime/ports/rp2040/mote_rt_usb.c), a zoo CNN blob loaded
// and evaluated over the bulk endpoints bit-exactly against the integer reference — the same exchange
// tests/boards/serial-runtime.test.ts runs over UART0. The UART0 link stays: both feed one evaluation loop.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodegenModel } from '../../src/core/codegen/types';
import { readUf2 } from '../../src/core/deploy/formats/uf2';
import { boardOf } from '../../src/core/deploy/registry';
import { loadAndEvaluateOverLink } from '../../src/core/deploy/runtime-link';
import { startVirtualPico } from '../../src/core/deploy/targets/rp2040/rp2040js-board';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { quantizeZooModel, randomData, zoo } from '../codegen/zoo';

const pico = boardOf('RaspberryPiPico');
const uf2Image = () => readUf2(new Uint8Array(readFileSync(join(resolve(__dirname, '../../runtime/prebuilt'), pico.runtime!.image)))).image;

function zooCase(seed: number) {
  const graph = zoo.conv2d();
  const quantized = quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, 16, seed), 16);
  const model = { format: 'int8', quantized } as Extract<CodegenModel, { format: 'int8' }>;
  const { bytes: blob } = encodeModelBlob(quantized, { dialect: 'c99', name: 'conv2d' });
  const count = 4;
  const test = { x: randomData(graph.shapes.input, count, seed + 1).map((v) => v * 2), labels: Int32Array.from({ length: count }, (_, i) => i % 3), count };
  return { model, blob, test };
}

describe('Raspberry Pi Pico runtime over its own USB (CDC-ACM) in rp2040js', () => {
  it('enumerates with rp2040js\'s USBCDC helper, then loads a zoo CNN blob and evaluates it bit-exact over the bulk endpoints', async () => {
    const board = startVirtualPico(uf2Image(), { link: 'usb' });
    try {
      await board.usb!.configured;
      const { model, blob, test } = zooCase(7);
      const { loaded, report, row } = await loadAndEvaluateOverLink({ transport: board.transport, model, test, blob, frameTimeoutMs: 20_000 });
      expect(row).toMatchObject({ n: test.count, bit_exact: true, agreement: 1, rom_bytes: blob.length });
      expect(row.model_crc).toBe(new DataView(blob.buffer).getUint32(blob.length - 4, true));
      expect(loaded.hello.modelHash).toBe(row.model_crc);
      expect(loaded.chunks).toBeGreaterThan(0);
      expect(report.cycles_per_inference).toBeGreaterThan(0);
      expect(board.diagnostics()).toEqual([]);
    } finally {
      await board.stop();
    }
  }, 120_000);

  it('a serial port\'s open (SET_LINE_CODING 115200, DTR up) and close (DTR down) at another rate leave the runtime serving', async () => {
    const board = startVirtualPico(uf2Image(), { link: 'usb' });
    try {
      await board.usb!.configured;
      await board.usb!.setLineCoding(115200);
      await board.usb!.setControlLines(true, true);
      await board.usb!.setControlLines(false, false);
      await board.usb!.setControlLines(true, true);
      const { model, blob, test } = zooCase(11);
      const { row } = await loadAndEvaluateOverLink({ transport: board.transport, model, test, blob, frameTimeoutMs: 20_000 });
      expect(row).toMatchObject({ bit_exact: true, agreement: 1 });
      expect(board.stoppedAt()).toBeUndefined();
    } finally {
      await board.stop();
    }
  }, 120_000);
});
