// `node bench/inference/start.mjs profile <kws|ic|vww|ad> [layer …]`: where a network of
// conf/mlperf-tiny/*.toml spends its cycles, one Conv / Dense layer at a time. Each layer of the deployed
// graph (batch norms folded) is rebuilt alone with its input shape, quantized (int8, fxp, floor, minmax on
// seeded data), generated in the cortex-m dialect and run at -O3 on VirtualCortexM4: exact instructions and
// estimated Cortex-M4 cycles between the inference markers (bench/cortex-m4-cycles.md, classifier checked
// against objdump), bit-exact against the integer reference. The share column is of the layers listed;
// layers without MACs (pooling, Add, Flatten) are not run. MOTE_DUMP=<folder> writes each layer's C and ELF.
import { mkdirSync, writeFileSync } from 'node:fs';
import { checkCycleClassifier } from '../../src/core/deploy/cycle-classifier-check.node';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { buildGraph } from '../../tests/codegen/zoo';
import { fixedPointCase, mlperfDeployedGraph, seededInputs } from './models';

type LayerSpec = Parameters<typeof buildGraph>[1][number];
const configs: Record<string, string> = {
  kws: 'conf/mlperf-tiny/kws_dscnn_int8.toml',
  ic: 'conf/mlperf-tiny/ic_resnet8_int8.toml',
  vww: 'conf/mlperf-tiny/vww_mobilenetv1_int8.toml',
  ad: 'conf/mlperf-tiny/ad_fc_autoencoder_int8.toml',
};
const [network = 'vww', ...only] = process.argv.slice(3);
if (!configs[network]) throw new Error(`unknown network "${network}": one of ${Object.keys(configs).join(', ')}`);
const graph = mlperfDeployedGraph(configs[network]);
const dump = process.env.MOTE_DUMP;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const describe = (l: Record<string, unknown>): string => {
  if (l.kind === 'Dense') return `dense → ${l.units}`;
  const k = (l.kernel as number[]).join('×');
  const s = (l.stride as number[]).join('×');
  return `${l.groups === 1 ? 'conv' : l.groups === (l.filters as number) ? 'dw' : `g${l.groups}`} ${k} /${s} → ${l.filters}${l.activation !== 'linear' ? ` ${l.activation}` : ''}`;
};
const rows: { name: string; what: string; input: number[]; macs: number; instructions: number; cycles: number; bitExact: boolean }[] = [];
for (const layer of graph.layers) {
  if (layer.kind !== 'Conv' && layer.kind !== 'Dense') continue;
  if (only.length && !only.includes(layer.name)) continue;
  const { inputs, ...spec } = layer as typeof layer & { inputs: string[] };
  const input = graph.shapes[inputs[0]];
  const single = buildGraph(`${network}_${layer.name}`, [{ kind: 'Input', name: 'input', shape: input } as LayerSpec, spec as LayerSpec], 15);
  const c = fixedPointCase(single, 8, 'cortex-m', seededInputs(input, 1, 7));
  const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files, options: { optimize: 'O3' } });
  const elf = build.files['firmware.elf'];
  if (dump) {
    mkdirSync(`${dump}/${layer.name}`, { recursive: true });
    for (const [name, text] of Object.entries(c.sources.files)) writeFileSync(`${dump}/${layer.name}/${name}`, text);
    writeFileSync(`${dump}/${layer.name}/firmware.elf`, elf);
  }
  const board = await startVirtualCortexM4(elf, { exactInstructions: true, classifiedInstructions: true });
  let bitExact = false;
  try {
    bitExact = (await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash, frameTimeoutMs: 300_000 })).bit_exact;
  } finally {
    await board.stop();
  }
  checkCycleClassifier(elf, await board.executedInstructions(), `${network} ${layer.name}`);
  rows.push({ name: layer.name, what: describe(spec as Record<string, unknown>), input, macs: c.sources.report.macs, instructions: mean(await board.instructionCounts()), cycles: mean(await board.cycleEstimates()), bitExact });
  if (!bitExact) process.exitCode = 1;
}
const total = rows.reduce((a, r) => a + r.cycles, 0);
const macs = rows.reduce((a, r) => a + r.macs, 0);
console.log(`${graph.name}: ${rows.length} layers alone, int8 cortex-m -O3, VirtualCortexM4`);
console.log('| layer | kind | input | MACs | instr/MAC | est. cycles | est. cycles/MAC | share of cycles | bit-exact |');
console.log('|---|---|---|---:|---:|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.what} | ${r.input.join('×')} | ${r.macs} | ${(r.instructions / r.macs).toFixed(3)} | ${Math.round(r.cycles)} | **${(r.cycles / r.macs).toFixed(3)}** | ${((100 * r.cycles) / total).toFixed(1)} % | ${r.bitExact ? 'yes' : 'NO'} |`);
console.log(`| all listed | | | ${macs} | | ${Math.round(total)} | **${(total / macs).toFixed(3)}** | 100 % | |`);
