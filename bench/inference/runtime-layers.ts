// `node bench/inference/start.mjs runtime-layers`: the layers of the Fashion-MNIST CNN alone (int8, cortex-m,
// seeded weights), the Mote Runtime (prebuilt VirtualCortexM4 image, blob over the emulated UART) against the
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
const cases: [string, number[], Parameters<typeof buildGraph>[1]][] = [
  ['conv1 3x3 1->16 28x28 p1', [28, 28, 1], [{ kind: 'Conv', name: 'c', dims: 2, filters: 16, kernel: [3, 3], stride: [1, 1], padding: [1, 1], groups: 1, useBias: true, activation: 'relu' }]],
  ['conv2 3x3 16->32 14x14 p1', [14, 14, 16], [{ kind: 'Conv', name: 'c', dims: 2, filters: 32, kernel: [3, 3], stride: [1, 1], padding: [1, 1], groups: 1, useBias: true, activation: 'relu' }]],
  ['maxpool 2 28x28x16', [28, 28, 16], [{ kind: 'MaxPool', name: 'p', dims: 2, pool: [2, 2], stride: [2, 2] }]],
  ['dense 1568->64', [1568], [{ kind: 'Dense', name: 'd', units: 64, useBias: true, activation: 'relu' }]],
];
for (const [label, shape, specs] of cases) {
  const graph = buildGraph('l', [{ kind: 'Input', name: 'input', shape }, ...specs] as Parameters<typeof buildGraph>[1], 3);
  const c = fixedPointCase(graph, 8, 'cortex-m', seededInputs(shape, 2, 7));
  const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files, options: { optimize: 'O3' } });
  const g = await startVirtualCortexM4(build.files['firmware.elf'], { exactInstructions: true });
  try { await evaluateOnBoard({ transport: g.transport, vectors: c.vectors, reference: c.reference, frameTimeoutMs: 60_000 }); } finally { await g.stop(); }
  const { bytes } = encodeModelBlob(c.quantized, { dialect: 'cortex-m' });
  const r = await startQemuBoard(mps2An386, image, { exactInstructions: true });
  try { const l = await loadModelOnBoard({ transport: r.transport, blob: bytes }); await evaluateOnBoard({ transport: r.transport, hello: l.hello, vectors: c.vectors, reference: c.reference, frameTimeoutMs: 5_000, maxRetries: 1 }); } catch (e) { console.log(label, 'runtime failed', (e as Error).message); } finally { await r.stop(); }
  const ci = mean(await g.instructionCounts()), ri = mean(await r.instructionCounts());
  console.log(`${label}: C ${Math.round(ci)} runtime ${Math.round(ri)} ratio ${(ri / ci).toFixed(2)}`);
}
