// The CLI's runtime route over a serial device (`deploy_and_evaluate --deploy.evaluator.params.dev=…`, the
// `serial` executor of stream-runtime-board.ts with Node's own serial code) when the board is not there or
// goes away: no such port (the driver hint), the cable pulled while the model blob loads and while the vectors
// are evaluated (the far end of the pseudo-terminal closes, as a USB-serial device's does: reads fail with EIO),
// and a board that stops answering with the port still open. Each failure is a TransportError that says to
// plug the board back in and evaluate again, with no row; then a fresh board on a new port evaluates
// bit-exact. A port where nothing answers as a Mote Runtime (the wrong port, or every byte garbled as at the
// wrong baud rate) names the port, the runtime install and the baud rate; a single damaged byte each way (a
// frame CRC mismatch) is re-sent and the evaluation stays bit-exact, the log saying how many frames. The board is the Pico's prebuilt runtime UF2 booted in rp2040js behind python3's pty module
// (tests/boards/pty-bridge.ts), as in serial-runtime.test.ts.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CodegenModel } from '../../src/core/codegen/types';
import { nodeBoardEnvironment } from '../../src/core/deploy/environment.node';
import { readUf2 } from '../../src/core/deploy/formats/uf2';
import { boardOf } from '../../src/core/deploy/registry';
import { streamRuntimeExecutor } from '../../src/core/deploy/stream-runtime-board';
import { startVirtualPico } from '../../src/core/deploy/targets/rp2040/rp2040js-board';
import { TransportError } from '../../src/core/evaluation/transport';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { quantizeZooModel, randomData, zoo } from '../codegen/zoo';
import { requireTools } from '../firmware/helpers';
import { openPtyBridge } from './pty-bridge';

const pico = boardOf('RaspberryPiPico');
const uf2 = readUf2(new Uint8Array(readFileSync(join(resolve(__dirname, '../../runtime/prebuilt'), pico.runtime!.image))));
const graph = zoo.conv2d();
const quantized = quantizeZooModel(graph, 8, 'nearest', randomData(graph.shapes.input, 16, 7), 16);
const model = { format: 'int8', quantized } as Extract<CodegenModel, { format: 'int8' }>;
const { bytes: blob } = encodeModelBlob(quantized, { dialect: 'c99', name: 'conv2d' });
const count = 40;
const test = { x: randomData(graph.shapes.input, count, 8).map((v) => v * 2), labels: Int32Array.from({ length: count }, (_, i) => i % 3), count };
const relaunch = 'Plug the board back in (or close the other program using its port) and evaluate again; nothing from this attempt was recorded, earlier results are kept';

interface Plug {
  /** Pull the cable once the host has written this many bytes. */
  unplugAfterBytes?: number;
  /** Pull the cable once this many vectors were confirmed. */
  unplugAfterVectors?: number;
  /** Stop the board (a hang or a reset into something else) once this many vectors were confirmed; the port stays. */
  stopAfterVectors?: number;
  /** Nothing behind the port: the wrong port, or a board without the Mote Runtime that stays quiet. */
  nothingBehind?: boolean;
  /** Every byte from the board arrives garbled, as at the wrong baud rate. */
  garbleFromBoard?: boolean;
  /** Flip one bit in the host's chunk that carries byte `n` of everything written (a CRC error on the way to the board). */
  damageToBoardAt?: number;
  /** Flip one bit in the board's first chunk after this many vectors were confirmed (a CRC error on the way back). */
  damageFromBoardAfterVectors?: number;
}

/** Evaluates the blob through the serial executor on a freshly booted Pico behind a new pty. */
async function evaluate(plug: Plug = {}, dev?: string, timeout = 5) {
  const board = startVirtualPico(uf2.image);
  let written = 0;
  let pulled = false;
  let damagedToBoard = false;
  let damageFromBoard = false;
  const damaged = { toBoard: 0, fromBoard: 0 };
  const bridge = await openPtyBridge((bytes) => {
    const before = written;
    written += bytes.length;
    if (plug.unplugAfterBytes !== undefined && written >= plug.unplugAfterBytes && !pulled) { pulled = true; void bridge.close(); return; }
    if (plug.nothingBehind) return;
    if (plug.damageToBoardAt !== undefined && !damagedToBoard && written > plug.damageToBoardAt) {
      damagedToBoard = true;
      damaged.toBoard++;
      bytes = bytes.slice();
      bytes[plug.damageToBoardAt - before] ^= 0x10;
    }
    // A stopped (hung) board takes no more bytes: they go nowhere, as into a real hung board's UART.
    board.transport.write(bytes).catch(() => undefined);
  });
  board.transport.onData((chunk) => {
    if (pulled || plug.nothingBehind) return;
    if (plug.garbleFromBoard) chunk = chunk.map((b) => b ^ 0x55);
    if (damageFromBoard) { damageFromBoard = false; damaged.fromBoard++; chunk = chunk.slice(); chunk[chunk.length >> 1] ^= 0x04; }
    bridge.toPort(chunk);
  });
  const progress: number[] = [];
  const logged: string[] = [];
  try {
    const row = await streamRuntimeExecutor('serial').evaluate({
      board: pico, blob, model, test, deployer: {},
      evaluator: pico.evaluatorParams.parse({ dev: dev ?? bridge.path, timeout }, 'deploy.evaluator.params', []) as Record<string, unknown>,
      transports: nodeBoardEnvironment().transports, log: (line) => logged.push(line),
      onProgress: (done) => {
        progress.push(done);
        if (plug.damageFromBoardAfterVectors !== undefined && done >= plug.damageFromBoardAfterVectors && !damaged.fromBoard) damageFromBoard = true;
        if (plug.unplugAfterVectors !== undefined && done >= plug.unplugAfterVectors && !pulled) { pulled = true; void bridge.close(); }
        if (plug.stopAfterVectors !== undefined && done >= plug.stopAfterVectors && !pulled) { pulled = true; void board.stop(); }
      },
    });
    return { row, written, progress, logged, damaged };
  } finally {
    await bridge.close();
    await board.stop().catch(() => undefined);
  }
}

describe.runIf(requireTools('python3', 'stty'))('runtime route over a serial device: the board missing or going away', () => {
  it('no such port: no board answered on it, check the name, the CP210x/CH340 driver hint; nothing sent', async () => {
    const started = Date.now();
    const failure = evaluate({}, '/dev/mote-no-such-port', 1);
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toThrow(/^RaspberryPiPico: no board answered on \/dev\/mote-no-such-port \(serial device \/dev\/mote-no-such-port did not appear within 1\.0 s\): plug the board in with a data cable \(not a charge-only one\) and check the port's name \(deploy\.evaluator\.params\.dev\); if it does not appear, a board with a CP210x or CH340 USB-UART chip needs that driver/);
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  it('unplugged while the model blob loads: the connection was lost while loading, plug it back in and evaluate again', async () => {
    const failure = evaluate({ unplugAfterBytes: Math.floor(blob.length / 2) });
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toThrow(/^RaspberryPiPico: the board connection was lost: the connection to the board closed while loading the model \(\/dev\/pts\/\d+ hung up: the device went away\)\. Plug the board back in/);
    await expect(failure).rejects.toThrow(relaunch);
  }, 60_000);

  it('unplugged mid-evaluation: lost after some of the vectors, plug it back in and evaluate again — then a fresh board evaluates bit-exact', async () => {
    const failure = evaluate({ unplugAfterVectors: 1 });
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toThrow(new RegExp(`^RaspberryPiPico: the board connection was lost: the connection to the board closed during the evaluation \\(.*\\) after \\d+ of ${count} vectors\\. ${relaunch.replace(/[()]/g, '\\$&')}$`));
    const again = await evaluate();
    expect(again.row).toMatchObject({ n: count, bit_exact: true, agreement: 1, rom_bytes: blob.length });
    expect(again.progress.at(-1)).toBe(count);
  }, 120_000);

  it('the board stops answering with the port still open (reset, hung): it stopped answering, with the same advice', async () => {
    const failure = evaluate({ stopAfterVectors: 1 }, undefined, 1);
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toThrow(/^RaspberryPiPico: the board stopped answering: the board did not answer vectors/);
    await expect(failure).rejects.toThrow(relaunch);
  }, 120_000);

  it('the wrong port (nothing behind it answers): nothing answered as a Mote Runtime — check the port, that the runtime is installed, the baud rate', async () => {
    const failure = evaluate({ nothingBehind: true }, undefined, 1);
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toThrow(/^RaspberryPiPico: nothing on (\/dev\/pts\/\d+) answered as a Mote Runtime \(the board sent no HELLO after \d+ requests; is the Mote Runtime running on it and is the baud rate right\): check that \1 is the board's port \(deploy\.evaluator\.params\.dev\), that the Mote Runtime is installed on it \(mote flash RaspberryPiPico\) and that the baud rate is 115200; nothing was recorded$/);
  }, 120_000);

  it('every byte from the board garbled (the wrong baud rate): the same words, naming the baud rate, not a crash or a wrong result', async () => {
    const failure = evaluate({ garbleFromBoard: true }, undefined, 1);
    await expect(failure).rejects.toBeInstanceOf(TransportError);
    await expect(failure).rejects.toThrow(/^RaspberryPiPico: nothing on \/dev\/pts\/\d+ answered as a Mote Runtime \(the board sent no HELLO .*\): .* the baud rate is 115200; nothing was recorded$/);
  }, 120_000);

  it('a damaged byte each way (CRC mismatch while the blob loads and in a result): the frames are sent again, the evaluation is bit-exact and says so', async () => {
    const { row, damaged, logged, progress } = await evaluate({ damageToBoardAt: Math.floor(blob.length / 2), damageFromBoardAfterVectors: 1 });
    expect(damaged).toEqual({ toBoard: 1, fromBoard: 1 });
    expect(row).toMatchObject({ n: count, bit_exact: true, agreement: 1, rom_bytes: blob.length });
    expect(row.report?.retries).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(count);
    expect(logged.join('\n')).toMatch(/RaspberryPiPico: [1-9]\d* frame\(s\) re-sent after damaged or lost bytes on the serial link \([1-9]\d* while loading, [1-9]\d* while evaluating\); every result was checked against the reference/);
  }, 120_000);
});
