// `node bench/inference/start.mjs headline [O2|O3 ...]`: the headline case alone (Qualia's UCI-HAR ResNetv1-8
// and the Getting Started CNN, int8 and int16, cortex-m dialect) — exact Cortex-M4 instructions per MAC,
// checked bit-exact; a quick loop while working on the generator. Writes the generated sources and the
// firmware ELF to $MOTE_DUMP (a folder) when set, for objdump.
import { mkdirSync, writeFileSync } from 'node:fs';
import { firmwareSize, parseElf } from '../../src/core/deploy/elf';
import type { OptimizationLevel } from '../../src/core/deploy/firmware-build';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { UCI_HAR_INPUT, fixedPointCase, seededInputs, uciHarCnnSimple, uciHarResnetV1_8 } from './models';

const levels = (process.argv.slice(3).length ? process.argv.slice(3) : ['O3']) as OptimizationLevel[];
const dump = process.env.MOTE_DUMP;
const inputs = seededInputs(UCI_HAR_INPUT, 8, 4);
console.log('| model | quantize | -O | instructions | instr/MAC | ROM B | bit-exact |');
console.log('|---|---|---|---:|---:|---:|---|');
for (const graph of [uciHarResnetV1_8(), uciHarCnnSimple()]) {
  for (const bits of [8, 16] as const) {
    const c = fixedPointCase(graph, bits, 'cortex-m', inputs);
    for (const optimize of levels) {
      const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files, options: { optimize } });
      const elf = build.files['firmware.elf'];
      if (dump) {
        const dir = `${dump}/${c.name}_${optimize}`;
        mkdirSync(dir, { recursive: true });
        for (const [name, text] of Object.entries(c.sources.files)) writeFileSync(`${dir}/${name}`, text);
        writeFileSync(`${dir}/firmware.elf`, elf);
      }
      const board = await startVirtualCortexM4(elf, { exactInstructions: true });
      let bitExact = false;
      try {
        bitExact = (await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash, frameTimeoutMs: 30_000 })).bit_exact;
      } finally {
        await board.stop();
      }
      const counts = await board.instructionCounts();
      const instructions = Math.round(counts.reduce((a, b) => a + b, 0) / counts.length);
      console.log(`| ${graph.name} | int${bits} | ${optimize} | ${instructions} | ${(instructions / c.sources.report.macs).toFixed(3)} | ${firmwareSize(parseElf(elf)).rom_bytes} | ${bitExact ? 'yes' : 'no'} |`);
    }
  }
}
