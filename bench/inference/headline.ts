// `node bench/inference/start.mjs headline [O2|O3 ...]`: the headline case alone (Qualia's UCI-HAR ResNetv1-8,
// the Getting Started CNN and the Fashion-MNIST CNN, int8 and int16, cortex-m dialect) — exact Cortex-M4 instructions per MAC,
// and estimated cycles per MAC (bench/cortex-m4-cycles.md, classifier checked against objdump), checked bit-exact; a quick loop while working on the generator. Then every model of the codegen test zoo
// in the cortex-m dialect on the same emulated Cortex-M4 (real DSP instructions, where the zoo parity test
// runs the portable fallback on the host), checked bit-exact. Writes the generated sources and the firmware
// ELF to $MOTE_DUMP (a folder) when set, for objdump.
import { mkdirSync, writeFileSync } from 'node:fs';
import { firmwareSize, parseElf } from '../../src/core/deploy/elf';
import type { OptimizationLevel } from '../../src/core/deploy/firmware-build';
import { checkCycleClassifier } from '../../src/core/deploy/cycle-classifier-check.node';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import type { RawVector } from '../../src/core/evaluation/protocol-v1';
import { generateC } from '../../src/core/codegen/emit';
import { quantizeInput, runIntReference } from '../../src/core/quantization/reference-int';
import { quantizeZooModel, randomData, zoo } from '../../tests/codegen/zoo';
import { FASHION_INPUT, UCI_HAR_INPUT, fashionCnn, fixedPointCase, seededInputs, uciHarCnnSimple, uciHarResnetV1_8 } from './models';

const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const levels = (process.argv.slice(3).length ? process.argv.slice(3) : ['O3']) as OptimizationLevel[];
const dump = process.env.MOTE_DUMP;
const uciInputs = seededInputs(UCI_HAR_INPUT, 8, 4);
console.log('| model | quantize | -O | instructions | instr/MAC | est. cycles/MAC | ROM B | bit-exact |');
console.log('|---|---|---|---:|---:|---:|---:|---|');
for (const [graph, inputs] of [[uciHarResnetV1_8(), uciInputs], [uciHarCnnSimple(), uciInputs], [fashionCnn(), seededInputs(FASHION_INPUT, 4, 5)]] as const) {
  // int8 also with its weights kept as bytes (packInt8Weights: false): the flash / instructions trade-off.
  for (const [bits, packed] of [[8, true], [8, false], [16, true]] as const) {
    const c = fixedPointCase(graph, bits, 'cortex-m', inputs);
    if (!packed) c.sources = generateC({ format: 'int8', quantized: c.quantized }, { dialect: 'cortex-m', displayName: c.name, packInt8Weights: false });
    const label = bits === 16 ? 'int16' : packed ? 'int8' : 'int8 (byte weights)';
    for (const optimize of levels) {
      const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files, options: { optimize } });
      const elf = build.files['firmware.elf'];
      if (dump) {
        const dir = `${dump}/${c.name}${packed ? '' : '_bytes'}_${optimize}`;
        mkdirSync(dir, { recursive: true });
        for (const [name, text] of Object.entries(c.sources.files)) writeFileSync(`${dir}/${name}`, text);
        writeFileSync(`${dir}/firmware.elf`, elf);
      }
      const board = await startVirtualCortexM4(elf, { exactInstructions: true, classifiedInstructions: true });
      let bitExact = false;
      try {
        bitExact = (await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash, frameTimeoutMs: 30_000 })).bit_exact;
      } finally {
        await board.stop();
      }
      const counts = await board.instructionCounts();
      const instructions = Math.round(counts.reduce((a, b) => a + b, 0) / counts.length);
      const cycles = meanOf(await board.cycleEstimates());
      checkCycleClassifier(elf, await board.executedInstructions(), `${graph.name} ${label} -${optimize}`);
      console.log(`| ${graph.name} | ${label} | ${optimize} | ${instructions} | ${(instructions / c.sources.report.macs).toFixed(3)} | ${(cycles / c.sources.report.macs).toFixed(3)} | ${firmwareSize(parseElf(elf)).rom_bytes} | ${bitExact ? 'yes' : 'no'} |`);
    }
  }
}

console.log('\n| zoo model | quantize | -O | instructions | instr/MAC | est. cycles/MAC | bit-exact |');
console.log('|---|---|---|---:|---:|---:|---|');
let failures = 0;
for (const [name, make] of Object.entries(zoo)) {
  const graph = make();
  const size = graph.shapes.input.reduce((a, b) => a * b, 1);
  for (const bits of [8, 16] as const) {
    const quantized = quantizeZooModel(graph, bits, 'floor', randomData(graph.shapes.input, 32, 1), 32);
    const sources = generateC({ format: bits === 8 ? 'int8' : 'int16', quantized }, { dialect: 'cortex-m', displayName: `${name}_q${bits}` });
    const toRaw = (values: ArrayLike<number>): RawVector => (bits === 8 ? Int8Array.from(values) : Int16Array.from(values));
    const data = randomData(graph.shapes.input, 8, 2);
    const vectors = Array.from({ length: 8 }, (_, i) => toRaw(quantizeInput(quantized, data.subarray(i * size, (i + 1) * size))));
    const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: sources.files, options: { optimize: levels[0] } });
    const board = await startVirtualCortexM4(build.files['firmware.elf'], { exactInstructions: true, classifiedInstructions: true });
    let bitExact = false;
    try {
      bitExact = (await evaluateOnBoard({ transport: board.transport, vectors, reference: (v) => toRaw(runIntReference(quantized, Int32Array.from(v))), expectedModelHash: sources.report.hash, frameTimeoutMs: 30_000 })).bit_exact;
    } finally {
      await board.stop();
    }
    const counts = await board.instructionCounts();
    const instructions = Math.round(counts.reduce((a, b) => a + b, 0) / counts.length);
    const cycles = meanOf(await board.cycleEstimates());
    checkCycleClassifier(build.files['firmware.elf'], await board.executedInstructions(), `zoo ${name} int${bits}`);
    if (!bitExact) failures++;
    console.log(`| ${name} | int${bits} | ${levels[0]} | ${instructions} | ${(instructions / sources.report.macs).toFixed(3)} | ${(cycles / sources.report.macs).toFixed(3)} | ${bitExact ? 'yes' : 'NO'} |`);
  }
}
if (failures) {
  console.error(`${failures} zoo model(s) differ from the integer reference on the emulated Cortex-M4`);
  process.exitCode = 1;
}
