// `npm run bench:inference`: per model × number format × dialect, build the VirtualCortexM4 firmware
// (template + generated model, arm-none-eabi-gcc -O3, the default of the firmware build), run it on QEMU mps2-an386 with the instruction-count
// plugin, check the outputs against the TypeScript reference, and record MACs, exact instructions per
// inference, instructions per MAC, estimated Cortex-M4 cycles (bench/cortex-m4-cycles.md; the classifier is
// checked against arm-none-eabi-objdump on every firmware) and Qualia-style ROM/RAM of the whole firmware.
// Writes bench/results/inference.json and prints a table (copied into bench/RESULTS.md by hand).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { generateC } from '../../src/core/codegen/emit';
import type { Dialect } from '../../src/core/codegen/types';
import { firmwareSize, parseElf } from '../../src/core/deploy/elf';
import type { OptimizationLevel } from '../../src/core/deploy/firmware-build';
import { checkCycleClassifier } from '../../src/core/deploy/cycle-classifier-check.node';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import type { RawVector } from '../../src/core/evaluation/protocol-v1';
import type { ModelGraph } from '../../src/core/models/graph';
import { forwardFloat } from '../../src/core/models/reference-float';
import { lowerForDeployment } from '../../src/core/quantization/lower';
import { UCI_HAR_INPUT, fixedPointCase, seededInputs, uciHarCnnSimple, uciHarResnetV1_8 } from './models';

interface Row {
  model: string;
  target: string;
  quantize: 'int8' | 'int16' | 'float32';
  dialect: Dialect;
  /** Compiler optimization level of the whole firmware. */
  optimize: OptimizationLevel;
  macs: number;
  instructions: number;
  instructions_per_mac: number;
  /** Instructions weighted with the Cortex-M4 TRM's cycles (bench/cortex-m4-cycles.md): an estimate. */
  estimated_cycles: number;
  estimated_cycles_per_mac: number;
  rom_bytes: number;
  ram_bytes: number;
  /** Weights and arena of the model alone (generator report). */
  model_weight_bytes: number;
  model_arena_bytes: number;
  bit_exact: boolean;
  vectors: number;
}

const VECTORS = 8;

async function measure(model: string, quantize: Row['quantize'], dialect: Dialect, files: Record<string, string>, report: { macs: number; hash: number; weightBytes: number; arenaBytes: number }, vectors: RawVector[], reference: (v: RawVector) => RawVector, optimize: OptimizationLevel = 'O3'): Promise<Row> {
  const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: files, options: { optimize } });
  const elf = build.files['firmware.elf'];
  const size = firmwareSize(parseElf(elf));
  const board = await startVirtualCortexM4(elf, { exactInstructions: true, classifiedInstructions: true });
  let evaluation;
  try {
    evaluation = await evaluateOnBoard({ transport: board.transport, vectors, reference, expectedModelHash: report.hash, frameTimeoutMs: 30_000 });
  } finally {
    await board.stop();
  }
  const counts = await board.instructionCounts();
  const instructions = Math.round(counts.reduce((a, b) => a + b, 0) / counts.length);
  const cycles = await board.cycleEstimates();
  const estimated = Math.round(cycles.reduce((a, b) => a + b, 0) / cycles.length);
  checkCycleClassifier(elf, await board.executedInstructions(), `${model} ${quantize} ${dialect} -${optimize}`);
  return {
    model, target: 'VirtualCortexM4', quantize, dialect, optimize, macs: report.macs, instructions,
    instructions_per_mac: Number((instructions / report.macs).toFixed(3)),
    estimated_cycles: estimated, estimated_cycles_per_mac: Number((estimated / report.macs).toFixed(3)), rom_bytes: size.rom_bytes, ram_bytes: size.ram_bytes,
    model_weight_bytes: report.weightBytes, model_arena_bytes: report.arenaBytes, bit_exact: evaluation.bit_exact, vectors: evaluation.n,
  };
}

async function benchModel(graph: ModelGraph, inputShape: number[], compareLevels: boolean): Promise<Row[]> {
  const rows: Row[] = [];
  const inputs = seededInputs(inputShape, VECTORS, 4);
  for (const dialect of ['cortex-m', 'c99'] as const) {
    for (const bits of [8, 16] as const) {
      const c = fixedPointCase(graph, bits, dialect, inputs);
      rows.push(await measure(graph.name, bits === 8 ? 'int8' : 'int16', dialect, c.sources.files, c.sources.report, c.vectors, c.reference));
      console.error(`${graph.name} int${bits} ${dialect}: done`);
    }
  }
  // How much the compiler level matters for the headline case (int8, cortex-m dialect).
  const headline = fixedPointCase(graph, 8, 'cortex-m', inputs);
  for (const optimize of compareLevels ? (['O2', 'Os'] as const) : []) {
    rows.push(await measure(graph.name, 'int8', 'cortex-m', headline.sources.files, headline.sources.report, headline.vectors, headline.reference, optimize));
  }
  const lowered = lowerForDeployment(graph);
  const floatSources = generateC({ format: 'float32', graph: lowered }, { dialect: 'c99', displayName: `${graph.name}_float32` });
  const floatReference = (v: RawVector): RawVector => forwardFloat(lowered, { data: Float32Array.from(v), batch: 1 }).output;
  rows.push(await measure(graph.name, 'float32', 'c99', floatSources.files, floatSources.report, inputs, floatReference));
  console.error(`${graph.name} float32 c99: done`);
  return rows;
}

function table(rows: Row[]): string {
  const header = '| model | quantize | dialect | -O | MACs | instructions | instr/MAC | est. cycles | est. cycles/MAC | ROM B | RAM B | bit-exact |';
  const line = '|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|';
  return [header, line, ...rows.map((r) => `| ${r.model} | ${r.quantize} | ${r.dialect} | ${r.optimize} | ${r.macs} | ${r.instructions} | ${r.instructions_per_mac} | ${r.estimated_cycles} | ${r.estimated_cycles_per_mac} | ${r.rom_bytes} | ${r.ram_bytes} | ${r.bit_exact ? 'yes' : 'no'} |`)].join('\n');
}

const started = Date.now();
const rows = [...(await benchModel(uciHarResnetV1_8(), UCI_HAR_INPUT, true)), ...(await benchModel(uciHarCnnSimple(), UCI_HAR_INPUT, false))];
mkdirSync('bench/results', { recursive: true });
const output = { generated: new Date().toISOString(), command: 'npm run bench:inference', compiler: 'arm-none-eabi-gcc (firmware-templates, VirtualCortexM4), -O3 unless the row says otherwise', emulator: 'qemu-system-arm -M mps2-an386 -icount shift=0 + tools/qemu/insncount.c', cycle_model: 'bench/cortex-m4-cycles.md (estimate: zero wait states, no bus contention; classifier checked against arm-none-eabi-objdump on every firmware)', rows };
writeFileSync('bench/results/inference.json.tmp', JSON.stringify(output, null, 2) + '\n');
renameSync('bench/results/inference.json.tmp', 'bench/results/inference.json');
console.log(table(rows));
console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s; written to bench/results/inference.json)`);
