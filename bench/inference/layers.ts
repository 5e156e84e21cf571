// `node bench/inference/start.mjs layers [id …]`: single layers of MLPerf Tiny's networks alone (the
// largest-MAC layer kinds of conf/mlperf-tiny/*.toml), int8, cortex-m dialect, -O3, on VirtualCortexM4:
// exact instructions and estimated Cortex-M4 cycles per MAC between the inference markers
// (bench/cortex-m4-cycles.md, classifier checked against objdump), bit-exact against the integer reference.
// MOTE_DUMP=<folder> also writes each layer's generated C and firmware.elf there (for objdump -d).
import { mkdirSync, writeFileSync } from 'node:fs';
import { checkCycleClassifier } from '../../src/core/deploy/cycle-classifier-check.node';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { buildGraph } from '../../tests/codegen/zoo';

type LayerSpec = Parameters<typeof buildGraph>[1][number];
import { fixedPointCase, seededInputs } from './models';

const conv = (name: string, filters: number, kernel: number[], stride: number[], padding: number[], groups = 1): LayerSpec =>
  ({ kind: 'Conv', name, dims: 2, filters, kernel, stride, padding, groups, useBias: true, activation: 'relu' }) as LayerSpec;
const layers: { id: string; title: string; input: number[]; layer: LayerSpec }[] = [
  { id: 'kws-conv1', title: 'KWS conv1 10×4 /2, 1 → 64', input: [49, 10, 1], layer: conv('conv1', 64, [10, 4], [2, 2], [5, 1]) },
  { id: 'kws-pw', title: 'KWS pointwise 1×1 64 → 64 on 25×5', input: [25, 5, 64], layer: conv('pw', 64, [1, 1], [1, 1], [0, 0]) },
  { id: 'kws-dw', title: 'KWS depthwise 3×3 on 25×5×64', input: [25, 5, 64], layer: conv('dw', 64, [3, 3], [1, 1], [1, 1], 64) },
  { id: 'ic-conv', title: 'IC conv 3×3 16 → 16 on 32×32', input: [32, 32, 16], layer: conv('conv', 16, [3, 3], [1, 1], [1, 1]) },
  { id: 'vww-pw', title: 'VWW pointwise 1×1 32 → 64 on 24×24', input: [24, 24, 32], layer: conv('pw', 64, [1, 1], [1, 1], [0, 0]) },
  { id: 'ad-dense', title: 'AD dense 640 → 128', input: [640], layer: { kind: 'Dense', name: 'fc', units: 128, useBias: true, activation: 'relu' } as LayerSpec },
];
const chosen = process.argv.slice(3);
const dump = process.env.MOTE_DUMP;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
console.log('| layer | MACs | instructions | instr/MAC | est. cycles | est. cycles/MAC | bit-exact |');
console.log('|---|---:|---:|---:|---:|---:|---|');
for (const l of layers.filter((x) => !chosen.length || chosen.includes(x.id))) {
  const graph = buildGraph(l.id, [{ kind: 'Input', name: 'input', shape: l.input } as LayerSpec, l.layer], 15);
  const c = fixedPointCase(graph, 8, 'cortex-m', seededInputs(l.input, 2, 7));
  const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files, options: { optimize: 'O3' } });
  const elf = build.files['firmware.elf'];
  if (dump) {
    mkdirSync(`${dump}/${l.id}`, { recursive: true });
    for (const [name, text] of Object.entries(c.sources.files)) writeFileSync(`${dump}/${l.id}/${name}`, text);
    writeFileSync(`${dump}/${l.id}/firmware.elf`, elf);
  }
  const board = await startVirtualCortexM4(elf, { exactInstructions: true, classifiedInstructions: true });
  let bitExact = false;
  try {
    bitExact = (await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash, frameTimeoutMs: 120_000 })).bit_exact;
  } finally {
    await board.stop();
  }
  const instructions = mean(await board.instructionCounts());
  const cycles = mean(await board.cycleEstimates());
  checkCycleClassifier(elf, await board.executedInstructions(), l.id);
  const macs = c.sources.report.macs;
  console.log(`| ${l.title} | ${macs} | ${Math.round(instructions)} | ${(instructions / macs).toFixed(3)} | ${Math.round(cycles)} | **${(cycles / macs).toFixed(3)}** | ${bitExact ? 'yes' : 'NO'} |`);
  if (!bitExact) process.exitCode = 1;
}
