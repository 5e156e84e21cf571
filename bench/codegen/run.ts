// `node bench/codegen/start.mjs`: figures of the C generator on Qualia's UCI-HAR ResNetv1-8 and the test zoo:
// generation time, static arena (liveness-packed) vs one buffer per layer, const weight bytes, MACs, and
// for the ResNet the exact Cortex-M4 instructions per inference (VirtualCortexM4 firmware, QEMU
// instruction-count plugin) of each dialect, checked bit-exact against the integer reference.
import { generateC } from '../../src/core/codegen/emit';
import type { CodegenModel, Dialect } from '../../src/core/codegen/types';
import { firmwareSize, parseElf } from '../../src/core/deploy/elf';
import { checkCycleClassifier } from '../../src/core/deploy/cycle-classifier-check.node';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { lowerForDeployment } from '../../src/core/quantization/lower';
import { quantizeZooModel, randomData, zoo } from '../../tests/codegen/zoo';
import { UCI_HAR_INPUT, fixedPointCase, quantizeModel, seededInputs, uciHarResnetV1_8 } from '../inference/models';

function generationRow(name: string, model: CodegenModel, dialect: Dialect = 'c99'): string {
  const runs = 20;
  const started = performance.now();
  let report = generateC(model, { dialect }).report;
  for (let i = 1; i < runs; i++) report = generateC(model, { dialect }).report;
  const ms = (performance.now() - started) / runs;
  return `| ${name} | ${model.format} | ${dialect} | ${ms.toFixed(2)} | ${report.macs} | ${report.weightBytes} | ${report.arenaBytes} | ${report.unpackedBytes} |`;
}

console.log('| model | format | dialect | generate ms | MACs | weights B | arena B | unpacked B |');
console.log('|---|---|---|---:|---:|---:|---:|---:|');
const resnet = uciHarResnetV1_8();
const inputs = seededInputs(UCI_HAR_INPUT, 8, 4);
for (const bits of [8, 16] as const) {
  const quantized = quantizeModel(resnet, bits, inputs);
  // The cortex-m dialect stores Conv/Dense weights pre-packed in 32-bit words (int8: as int16 pairs).
  for (const dialect of ['c99', 'cortex-m'] as const) console.log(generationRow(resnet.name, { format: `int${bits}`, quantized }, dialect));
}
console.log(generationRow(resnet.name, { format: 'float32', graph: lowerForDeployment(resnet) }));
for (const [name, make] of Object.entries(zoo)) {
  const graph = make();
  console.log(generationRow(name, { format: 'int8', quantized: quantizeZooModel(graph, 8, 'floor', randomData(graph.shapes.input, 32, 1), 32) }));
}

console.log('\n| model | format | dialect | instructions | instr/MAC | est. cycles/MAC | firmware ROM B | bit-exact |');
console.log('|---|---|---|---:|---:|---:|---:|---|');
for (const bits of [8, 16] as const) {
  for (const dialect of ['c99', 'cortex-m'] as Dialect[]) {
    const c = fixedPointCase(resnet, bits, dialect, inputs);
    const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files, options: { optimize: 'O2' } });
    const elf = build.files['firmware.elf'];
    const board = await startVirtualCortexM4(elf, { exactInstructions: true, classifiedInstructions: true });
    let bitExact = false;
    try {
      bitExact = (await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash, frameTimeoutMs: 30_000 })).bit_exact;
    } finally {
      await board.stop();
    }
    const counts = await board.instructionCounts();
    const instructions = Math.round(counts.reduce((a, b) => a + b, 0) / counts.length);
    const cycles = await board.cycleEstimates();
    const estimated = cycles.reduce((a, b) => a + b, 0) / cycles.length;
    checkCycleClassifier(elf, await board.executedInstructions(), `${resnet.name} int${bits} ${dialect}`);
    console.log(`| ${resnet.name} | int${bits} | ${dialect} | ${instructions} | ${(instructions / c.sources.report.macs).toFixed(3)} | ${(estimated / c.sources.report.macs).toFixed(3)} | ${firmwareSize(parseElf(elf)).rom_bytes} | ${bitExact ? 'yes' : 'no'} |`);
  }
}
