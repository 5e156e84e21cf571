// `node bench/inference/start.mjs depthwise`: the DS-CNN depthwise layer of issue 15 (3×3 depthwise, input
// 49×10×64, stride 1, padding 1, bias, ReLU: batch norm folded) alone, int8, cortex-m dialect, -O3, on
// VirtualCortexM4: exact instructions and estimated Cortex-M4 cycles (bench/cortex-m4-cycles.md) per MAC
// between the inference markers, checked bit-exact against the integer reference and the cycle classifier
// against objdump. Baseline in the same run: the scalar loops (weights kept as bytes, packInt8Weights: false).
// Goal: ≤ 3 estimated cycles/MAC.
import { generateC } from '../../src/core/codegen/emit';
import { checkCycleClassifier } from '../../src/core/deploy/cycle-classifier-check.node';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { buildGraph } from '../../tests/codegen/zoo';
import { fixedPointCase, seededInputs } from './models';

const INPUT = [49, 10, 64];
const graph = buildGraph('dscnn_depthwise', [
  { kind: 'Input', name: 'input', shape: INPUT },
  { kind: 'Conv', name: 'dw', dims: 2, filters: 64, kernel: [3, 3], stride: [1, 1], padding: [1, 1], groups: 64, useBias: true, activation: 'relu' },
], 15);
const c = fixedPointCase(graph, 8, 'cortex-m', seededInputs(INPUT, 4, 7));
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
console.log('| layer | loops | MACs | instructions | instr/MAC | est. cycles | est. cycles/MAC | bit-exact |');
console.log('|---|---|---:|---:|---:|---:|---:|---|');
const rows: Record<string, number> = {};
for (const [label, packed] of [['SIMD (int16 plane, SMLAD)', true], ['scalar (byte weights)', false]] as const) {
  const sources = packed ? c.sources : generateC({ format: 'int8', quantized: c.quantized }, { dialect: 'cortex-m', displayName: c.name, packInt8Weights: false });
  const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: sources.files, options: { optimize: 'O3' } });
  const elf = build.files['firmware.elf'];
  const board = await startVirtualCortexM4(elf, { exactInstructions: true, classifiedInstructions: true });
  let bitExact = false;
  try {
    bitExact = (await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: sources.report.hash, frameTimeoutMs: 60_000 })).bit_exact;
  } finally {
    await board.stop();
  }
  const instructions = mean(await board.instructionCounts());
  const cycles = mean(await board.cycleEstimates());
  checkCycleClassifier(elf, await board.executedInstructions(), `depthwise ${label}`);
  rows[label] = cycles;
  const macs = sources.report.macs;
  console.log(`| 3×3 dw 49×10×64 | ${label} | ${macs} | ${Math.round(instructions)} | ${(instructions / macs).toFixed(3)} | ${Math.round(cycles)} | ${(cycles / macs).toFixed(3)} | ${bitExact ? 'yes' : 'NO'} |`);
  if (!bitExact) process.exitCode = 1;
}
const [simd, scalar] = Object.values(rows);
console.log(`\nSIMD / scalar estimated cycles: ${(simd / scalar).toFixed(3)} (goal: ≤ 3 estimated cycles/MAC)`);
