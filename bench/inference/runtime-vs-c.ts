// `node bench/inference/start.mjs runtime-vs-c`: the Mote Runtime (model blob on the prebuilt image
// runtime/prebuilt/mote-runtime-virtual-cortex-m4.elf, loaded over the emulated UART) against the generated C
// (firmware-templates + model.c, -O3) on VirtualCortexM4, cortex-m dialect, int8: exact instructions and
// estimated Cortex-M4 cycles (bench/cortex-m4-cycles.md) per inference between the same inference markers,
// both checked bit-exact against the integer reference. Goal: runtime ≤ 1.25 × generated C. Then the model
// load time over the emulated link for a ≈ 50 kB blob (wall time, QEMU on this machine; the emulated UART,
// not the firmware, sets the pace).
import { prebuiltRuntimeImage } from '../../src/core/deploy/environment.node';
import { mps2An386 } from '../../src/core/deploy/qemu-machine';
import { startQemuBoard, startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { loadModelOnBoard } from '../../src/core/evaluation/model-load';
import { encodeModelBlob } from '../../src/core/runtime/blob';
import { buildGraph, zoo } from '../../tests/codegen/zoo';
import { fashionCnn, fixedPointCase, seededInputs, uciHarResnetV1_8 } from './models';

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const image = await prebuiltRuntimeImage('mote-runtime-virtual-cortex-m4.elf');
const cases = [
  ['UCI-HAR ResNetv1-8', uciHarResnetV1_8()],
  ['Fashion-MNIST CNN', fashionCnn()],
  ['zoo conv2d', zoo.conv2d()],
] as const;

console.log('| model (int8, cortex-m) | MACs | generated C instr | runtime instr | ratio | generated C est. cycles | runtime est. cycles | ratio | blob bytes | bit-exact C / runtime |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
for (const [label, graph] of cases) {
  const shape = graph.shapes[graph.layers[0].name];
  const c = fixedPointCase(graph, 8, 'cortex-m', seededInputs(shape, 4, 7));
  const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files, options: { optimize: 'O3' } });
  const generated = await startVirtualCortexM4(build.files['firmware.elf'], { exactInstructions: true });
  let cExact = false;
  try {
    cExact = (await evaluateOnBoard({ transport: generated.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash, frameTimeoutMs: 60_000 })).bit_exact;
  } finally {
    await generated.stop();
  }
  const { bytes: blob } = encodeModelBlob(c.quantized, { dialect: 'cortex-m', name: c.name.slice(0, 59) });
  const runtime = await startQemuBoard(mps2An386, image, { exactInstructions: true });
  let rtExact = false;
  try {
    const loaded = await loadModelOnBoard({ transport: runtime.transport, blob });
    rtExact = (await evaluateOnBoard({ transport: runtime.transport, hello: loaded.hello, vectors: c.vectors, reference: c.reference, frameTimeoutMs: 60_000 })).bit_exact;
  } finally {
    await runtime.stop();
  }
  const [ci, ri] = [mean(await generated.instructionCounts()), mean(await runtime.instructionCounts())];
  const [cc, rc] = [mean(await generated.cycleEstimates()), mean(await runtime.cycleEstimates())];
  console.log(`| ${label} | ${c.sources.report.macs} | ${Math.round(ci)} | ${Math.round(ri)} | ${(ri / ci).toFixed(3)} | ${Math.round(cc)} | ${Math.round(rc)} | ${(rc / cc).toFixed(3)} | ${blob.length} | ${cExact ? 'yes' : 'NO'} / ${rtExact ? 'yes' : 'NO'} |`);
  if (!cExact || !rtExact) process.exitCode = 1;
}

// Model load: a Dense 392 → 64 → 10 int8 model, ≈ 51 kB of blob (cortex-m packing stores int8 weights as halfword pairs), three chunk sizes.
const dense = buildGraph('load_50k', [
  { kind: 'Input', name: 'input', shape: [392] },
  { kind: 'Dense', name: 'fc1', units: 64, useBias: true, activation: 'relu' },
  { kind: 'Dense', name: 'fc2', units: 10, useBias: true, activation: 'linear' },
], 5);
const d = fixedPointCase(dense, 8, 'cortex-m', seededInputs([392], 4, 9));
const { bytes: blob50k } = encodeModelBlob(d.quantized, { dialect: 'cortex-m', name: 'load_50k' });
console.log(`\n| blob bytes | chunk bytes | chunks | load wall time (ms) | kB/s | bit-exact after load |`);
console.log('|---:|---:|---:|---:|---:|---|');
for (const chunkBytes of [1024, 4096, 8188]) {
  const board = await startQemuBoard(mps2An386, image, {});
  try {
    const loaded = await loadModelOnBoard({ transport: board.transport, blob: blob50k, chunkBytes });
    const exact = (await evaluateOnBoard({ transport: board.transport, hello: loaded.hello, vectors: d.vectors, reference: d.reference })).bit_exact;
    console.log(`| ${blob50k.length} | ${chunkBytes} | ${loaded.chunks} | ${loaded.elapsedMs} | ${(blob50k.length / loaded.elapsedMs).toFixed(1)} | ${exact ? 'yes' : 'NO'} |`);
  } finally {
    await board.stop();
  }
}
