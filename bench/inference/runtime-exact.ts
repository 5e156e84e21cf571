// `node bench/inference/start.mjs runtime-exact`: every zoo model (int8 and int16, each of the three round
// modes, cortex-m packing), the benches' networks and a set of int8 convolution shapes that pick each of the
// runtime's fast paths (odd/even groups of 4 inputs, one or more kernel rows, leftover inputs, stride,
// padding, filters not a multiple of 4, ReLU/linear/ReLU6, no bias), loaded one after the other into one
// VirtualCortexM4 runtime (the prebuilt image, the blob over the emulated UART) and checked bit-exact
// against the integer reference. Exits 1 on any mismatch.
import { prebuiltRuntimeImage } from '../../src/core/deploy/environment.node';
import { mps2An386 } from '../../src/core/deploy/qemu-machine';
import { startQemuBoard } from '../../src/core/deploy/qemu.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { loadModelOnBoard } from '../../src/core/evaluation/model-load';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import type { RoundMode } from '../../src/core/layers/shared/fixed-point';
import { quantizeInput, runIntReference } from '../../src/core/quantization/reference-int';
import type { QuantizedGraph } from '../../src/core/quantization/quantized-graph';
import type { ModelGraph } from '../../src/core/models/graph';
import { buildGraph, quantizeZooModel, randomData, zoo } from '../../tests/codegen/zoo';
import { fashionCnn, uciHarResnetV1_8 } from './models';

type Specs = Parameters<typeof buildGraph>[1];
const conv = (dims: 1 | 2, filters: number, k: number, stride: number, pad: number, activation: string, useBias = true) =>
  ({ kind: 'Conv', name: 'c', dims, filters, kernel: Array(dims).fill(k), stride: Array(dims).fill(stride), padding: Array(dims).fill(pad), groups: 1, useBias, activation });
const shapes: [string, number[], Specs][] = [
  ['1d k3 cin8 f8 p1', [32, 8], [conv(1, 8, 3, 1, 1, 'relu')] as Specs],
  ['1d k3 cin4 f12 p1 (odd groups)', [30, 4], [conv(1, 12, 3, 1, 1, 'linear')] as Specs],
  ['1d k1 cin8 f8', [20, 8], [conv(1, 8, 1, 1, 0, 'linear')] as Specs],
  ['1d k3 cin9 f8 s2 p1 (leftovers)', [33, 9], [conv(1, 8, 3, 2, 1, 'relu')] as Specs],
  ['1d k5 cin8 f6 p2 (filter tail)', [17, 8], [conv(1, 6, 5, 1, 2, 'relu')] as Specs],
  ['1d k3 cin8 f8 relu6', [16, 8], [conv(1, 8, 3, 1, 1, 'relu6')] as Specs],
  ['1d k3 cin8 f8 no bias', [16, 8], [conv(1, 8, 3, 1, 1, 'relu', false)] as Specs],
  ['2d 3x3 cin1 f16 p1', [12, 12, 1], [conv(2, 16, 3, 1, 1, 'relu')] as Specs],
  ['2d 3x3 cin3 f8 s2 p1', [11, 11, 3], [conv(2, 8, 3, 2, 1, 'linear')] as Specs],
  ['2d 3x3 cin8 f16 p1', [7, 9, 8], [conv(2, 16, 3, 1, 1, 'relu')] as Specs],
  ['2d 3x3 cin4 f8 p0 (odd groups, rows)', [8, 8, 4], [conv(2, 8, 3, 1, 0, 'relu')] as Specs],
  ['2d 5x5 cin1 f4 p2', [10, 10, 1], [conv(2, 4, 5, 1, 2, 'linear')] as Specs],
  ['2d 1x1 cin16 f8', [5, 5, 16], [conv(2, 8, 1, 1, 0, 'relu')] as Specs],
  ['dense 24->8', [24], [{ kind: 'Dense', name: 'd', units: 8, useBias: true, activation: 'relu' }] as Specs],
  ['dense 12->4', [12], [{ kind: 'Dense', name: 'd', units: 4, useBias: true, activation: 'linear' }] as Specs],
  ['batchnorm 6x5x12', [6, 5, 12], [{ kind: 'BatchNorm', name: 'b', epsilon: 1e-5, momentum: 0.1 }] as Specs],
  ['batchnorm 5x6 (channels not a multiple of 4)', [5, 6], [{ kind: 'BatchNorm', name: 'b', epsilon: 1e-5, momentum: 0.1 }] as Specs],
  ['add 16x8 linear', [16, 8], [{ kind: 'ReLU', name: 'r' }, { kind: 'Add', name: 'a', inputs: ['input', 'r'], activation: 'linear' }] as Specs],
  ['add 7x3 relu (conv input, tail)', [7, 3], [conv(1, 3, 3, 1, 1, 'linear'), { kind: 'Add', name: 'a', inputs: ['input', 'c'], activation: 'relu' }] as Specs],
];
const ROUNDS: RoundMode[] = ['floor', 'nearest', 'ceil'];
const cases: [string, ModelGraph, 8 | 16, RoundMode][] = [];
Object.entries(zoo).forEach(([name, make], i) => { for (const bits of [8, 16] as const) for (const round of ROUNDS) cases.push([`zoo ${name}`, make(), bits, round]); void i; });
for (const [label, graph] of [['UCI-HAR ResNetv1-8', uciHarResnetV1_8()], ['Fashion-MNIST CNN', fashionCnn()]] as const) for (const round of ROUNDS) cases.push([label, graph, 8, round]);
shapes.forEach(([label, shape, specs], i) => { for (const round of ROUNDS) cases.push([label, buildGraph(`s${i}`, [{ kind: 'Input', name: 'input', shape }, ...specs] as Specs, 11 + i), 8, round]); });

const image = await prebuiltRuntimeImage('mote-runtime-virtual-cortex-m4.elf');
const board = await startQemuBoard(mps2An386, image, { exactInstructions: true });
let failed = 0;
try {
  for (const [label, graph, bits, round] of cases) {
    const shape = graph.shapes[graph.layers[0].name];
    const quantized: QuantizedGraph = quantizeZooModel(graph, bits, round, randomData(shape, 32, 5), 32);
    const { bytes } = encodeModelBlob(quantized, { dialect: 'cortex-m', name: label.slice(0, 59) });
    const x = randomData(shape, 4, 77).map((v) => v * 2);
    const size = shape.reduce((a, b) => a * b, 1);
    const toRaw = (v: ArrayLike<number>) => (bits === 8 ? Int8Array.from(v) : Int16Array.from(v));
    const vectors = Array.from({ length: 4 }, (_, i) => toRaw(quantizeInput(quantized, x.subarray(i * size, (i + 1) * size))));
    const loaded = await loadModelOnBoard({ transport: board.transport, blob: bytes });
    const r = await evaluateOnBoard({ transport: board.transport, hello: loaded.hello, vectors, reference: (v) => toRaw(runIntReference(quantized, Int32Array.from(v))), frameTimeoutMs: 60_000 });
    if (!r.bit_exact) failed++;
    console.log(`${r.bit_exact ? 'ok  ' : 'FAIL'} int${bits} ${round.padEnd(7)} ${label}`);
  }
} finally {
  await board.stop();
}
console.log(`${cases.length - failed} of ${cases.length} bit-exact`);
if (failed) process.exitCode = 1;
