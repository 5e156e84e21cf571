// `node bench/inference/start.mjs runtime-layers [fashion|resnet …]`: the layers of the Fashion-MNIST CNN and of
// the UCI-HAR ResNetv1-8 alone (int8, cortex-m, seeded weights; both networks without an argument), the Mote Runtime (prebuilt VirtualCortexM4 image, blob over the emulated UART) against the
// generated C (-O3) on VirtualCortexM4: exact instructions per inference, to see where the runtime loses.
import { prebuiltRuntimeImage } from '../../src/core/deploy/environment.node';
import { mps2An386 } from '../../src/core/deploy/qemu-machine';
import { startQemuBoard, startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { loadModelOnBoard } from '../../src/core/evaluation/model-load';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { buildGraph } from '../../tests/codegen/zoo';
import { fixedPointCase, seededInputs } from './models';
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const image = await prebuiltRuntimeImage('mote-runtime-virtual-cortex-m4.elf');
type Specs = Parameters<typeof buildGraph>[1];
const conv = (dims: 1 | 2, filters: number, k: number, pad: number, activation: 'linear' | 'relu' = 'relu', useBias = true) =>
  ({ kind: 'Conv', name: 'c', dims, filters, kernel: Array(dims).fill(k), stride: Array(dims).fill(1), padding: Array(dims).fill(pad), groups: 1, useBias, activation });
const networks: Record<string, [string, number[], Specs][]> = {
  // The network's own layers (bench/inference/models.ts fashionCnn: convolutions without a bias, linear, each
  // followed by BatchNorm, ReLU and 2×2 max pooling), then the same convolutions with a bias and a fused ReLU.
  fashion: [
    ['conv1 3x3 1->16 28x28 p1 no bias', [28, 28, 1], [conv(2, 16, 3, 1, 'linear', false)] as Specs],
    ['batchnorm 28x28x16', [28, 28, 16], [{ kind: 'BatchNorm', name: 'b', epsilon: 1e-5, momentum: 0.1 }] as Specs],
    ['relu 28x28x16', [28, 28, 16], [{ kind: 'ReLU', name: 'r' }] as Specs],
    ['maxpool 2 28x28x16', [28, 28, 16], [{ kind: 'MaxPool', name: 'p', dims: 2, pool: [2, 2], stride: [2, 2] }] as Specs],
    ['conv2 3x3 16->32 14x14 p1 no bias', [14, 14, 16], [conv(2, 32, 3, 1, 'linear', false)] as Specs],
    ['batchnorm 14x14x32', [14, 14, 32], [{ kind: 'BatchNorm', name: 'b', epsilon: 1e-5, momentum: 0.1 }] as Specs],
    ['relu 14x14x32', [14, 14, 32], [{ kind: 'ReLU', name: 'r' }] as Specs],
    ['maxpool 2 14x14x32', [14, 14, 32], [{ kind: 'MaxPool', name: 'p', dims: 2, pool: [2, 2], stride: [2, 2] }] as Specs],
    ['dense 1568->64', [1568], [{ kind: 'Dense', name: 'd', units: 64, useBias: true, activation: 'linear' }] as Specs],
    ['relu 64 + dense 64->10', [64], [{ kind: 'ReLU', name: 'r' }, { kind: 'Dense', name: 'd', units: 10, useBias: true, activation: 'linear' }] as Specs],
    ['conv1 3x3 1->16 28x28 p1 bias relu', [28, 28, 1], [conv(2, 16, 3, 1)] as Specs],
    ['conv2 3x3 16->32 14x14 p1 bias relu', [14, 14, 16], [conv(2, 32, 3, 1)] as Specs],
  ],
  // tests/codegen/zoo.ts conv2d, layer by layer (filters not a multiple of 4, stride 2×1, AvgPool).
  zoo: [
    ['conv 3x3 2->6 9x7 s2x1 p1x0', [9, 7, 2], [{ kind: 'Conv', name: 'c', dims: 2, filters: 6, kernel: [3, 3], stride: [2, 1], padding: [1, 0], groups: 1, useBias: true, activation: 'linear' }] as Specs],
    ['avgpool 2 5x5x6', [5, 5, 6], [{ kind: 'AvgPool', name: 'p', dims: 2, pool: [2, 2], stride: [2, 2] }] as Specs],
    ['dense 24->5 relu', [24], [{ kind: 'Dense', name: 'd', units: 5, useBias: true, activation: 'relu' }] as Specs],
    ['dense 5->3', [5], [{ kind: 'Dense', name: 'd', units: 3, useBias: true, activation: 'linear' }] as Specs],
  ],
  resnet: [
    ['conv1 k3 9->8 128 p1', [128, 9], [conv(1, 8, 3, 1)] as Specs],
    ['conv k3 8->8 128 p1', [128, 8], [conv(1, 8, 3, 1, 'linear')] as Specs],
    ['conv k3 8->8 64 p1', [64, 8], [conv(1, 8, 3, 1, 'linear')] as Specs],
    ['sconv k1 8->8 128', [128, 8], [conv(1, 8, 1, 0, 'linear')] as Specs],
    ['maxpool 2 128x8', [128, 8], [{ kind: 'MaxPool', name: 'p', dims: 1, pool: [2], stride: [2] }] as Specs],
    ['relu + add 64x8', [64, 8], [{ kind: 'ReLU', name: 'r' }, { kind: 'Add', name: 'a', inputs: ['input', 'r'], activation: 'linear' }] as Specs],
    ['maxpool 64 64x8', [64, 8], [{ kind: 'MaxPool', name: 'p', dims: 1, pool: [64], stride: [64] }] as Specs],
    ['dense 8->6', [8], [{ kind: 'Dense', name: 'd', units: 6, useBias: true, activation: 'linear' }] as Specs],
  ],
};
const picked = process.argv.slice(3).length ? process.argv.slice(3) : Object.keys(networks);
const cases = picked.flatMap((n) => (networks[n] ?? []).map(([l, s, sp]) => [`${n}: ${l}`, s, sp] as [string, number[], Specs]));
console.log('| layer alone | generated C | runtime | ratio | bit-exact C / runtime |');
console.log('|---|---:|---:|---:|---|');
for (const [label, shape, specs] of cases) {
  const graph = buildGraph('l', [{ kind: 'Input', name: 'input', shape }, ...specs] as Specs, 3);
  const c = fixedPointCase(graph, 8, 'cortex-m', seededInputs(shape, 2, 7));
  const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files, options: { optimize: 'O3' } });
  const g = await startVirtualCortexM4(build.files['firmware.elf'], { exactInstructions: true });
  let cExact = false, rExact = false;
  try { cExact = (await evaluateOnBoard({ transport: g.transport, vectors: c.vectors, reference: c.reference, frameTimeoutMs: 60_000 })).bit_exact; } finally { await g.stop(); }
  const { bytes } = encodeModelBlob(c.quantized, { dialect: 'cortex-m' });
  const r = await startQemuBoard(mps2An386, image, { exactInstructions: true });
  try { const l = await loadModelOnBoard({ transport: r.transport, blob: bytes }); rExact = (await evaluateOnBoard({ transport: r.transport, hello: l.hello, vectors: c.vectors, reference: c.reference, frameTimeoutMs: 5_000, maxRetries: 1 })).bit_exact; } catch (e) { console.log(label, 'runtime failed', (e as Error).message); } finally { await r.stop(); }
  const ci = mean(await g.instructionCounts()), ri = mean(await r.instructionCounts());
  console.log(`| ${label} | ${Math.round(ci)} | ${Math.round(ri)} | ${(ri / ci).toFixed(2)} | ${cExact ? 'yes' : 'NO'} / ${rExact ? 'yes' : 'NO'} |`);
  if (!cExact || !rExact) process.exitCode = 1;
}
