// `node bench/inference/start.mjs mlperf-tiny [kws ic vww ad]`: MLPerf Tiny's four reference networks from
// conf/mlperf-tiny/*.toml (the model each experiment builds, seeded initial weights: weights do not change
// cycle counts), batch norm folded, int8 post-training quantization (fxp, floor, minmax, as the configs
// say) on seeded synthetic calibration data, cortex-m dialect, -O3, on VirtualCortexM4: MACs, exact
// instructions and estimated Cortex-M4 cycles per MAC between the inference markers (bench/cortex-m4-cycles.md,
// classifier checked against objdump), bit-exact against the integer reference, the activation arena next
// to the allocator's lower bound (the most bytes live at one step), weights and firmware ROM, and how long
// QEMU took. Also the UCI-HAR ResNetv1-8 headline. Goals of issue 15 (≥ 20 % under X-CUBE-AI on a 120 MHz
// Cortex-M4): KWS ≤ 1.6, IC ≤ 1.3, VWW ≤ 1.2, AD ≤ 1.8.
import { firmwareSize, parseElf } from '../../src/core/deploy/elf';
import { checkCycleClassifier } from '../../src/core/deploy/cycle-classifier-check.node';
import { startVirtualCortexM4 } from '../../src/core/deploy/qemu.node';
import { createLocalToolchain } from '../../src/core/deploy/toolchain-local.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { UCI_HAR_INPUT, fixedPointCase, mlperfDeployedGraph, seededInputs, uciHarResnetV1_8 } from './models';

interface Network { id: string; config?: string; goal?: number; xcubeai?: number }
const networks: Network[] = [
  { id: 'kws', config: 'conf/mlperf-tiny/kws_dscnn_int8.toml', goal: 1.6, xcubeai: 1.96 },
  { id: 'ic', config: 'conf/mlperf-tiny/ic_resnet8_int8.toml', goal: 1.3, xcubeai: 1.59 },
  { id: 'vww', config: 'conf/mlperf-tiny/vww_mobilenetv1_int8.toml', goal: 1.2, xcubeai: 1.43 },
  { id: 'ad', config: 'conf/mlperf-tiny/ad_fc_autoencoder_int8.toml', goal: 1.8, xcubeai: 2.18 },
  { id: 'uci-har' },
];
const chosen = process.argv.slice(3);
const VECTORS = Number(process.env.MOTE_VECTORS ?? 2);

console.log('| network | MACs | instructions | instr/MAC | est. cycles | est. cycles/MAC | goal | X-CUBE-AI | arena B | arena lower bound B | weights B | ROM B | bit-exact | QEMU s |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|');
for (const net of networks.filter((n) => !chosen.length || chosen.includes(n.id))) {
  const graph = net.config ? mlperfDeployedGraph(net.config) : uciHarResnetV1_8();
  const shape = graph.shapes[graph.layers[0].name];
  const c = fixedPointCase(graph, 8, 'cortex-m', seededInputs(net.config ? shape : UCI_HAR_INPUT, VECTORS, 4));
  const build = await createLocalToolchain().build({ board: 'virtual-cortex-m4', modelFiles: c.sources.files, options: { optimize: 'O3' } });
  const elf = build.files['firmware.elf'];
  const started = Date.now();
  const board = await startVirtualCortexM4(elf, { exactInstructions: true, classifiedInstructions: true });
  let bitExact = false;
  try {
    bitExact = (await evaluateOnBoard({ transport: board.transport, vectors: c.vectors, reference: c.reference, expectedModelHash: c.sources.report.hash, frameTimeoutMs: 600_000 })).bit_exact;
  } finally {
    await board.stop();
  }
  const seconds = (Date.now() - started) / 1000;
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const instructions = mean(await board.instructionCounts());
  const cycles = mean(await board.cycleEstimates());
  checkCycleClassifier(elf, await board.executedInstructions(), graph.name);
  const r = c.sources.report;
  const perMac = cycles / r.macs;
  console.log(`| ${graph.name} | ${r.macs} | ${Math.round(instructions)} | ${(instructions / r.macs).toFixed(3)} | ${Math.round(cycles)} | **${perMac.toFixed(3)}** | ${net.goal ?? '—'}${net.goal ? (perMac <= net.goal ? ' met' : ' not met') : ''} | ${net.xcubeai ?? '—'} | ${r.arenaBytes} | ${r.arenaLowerBoundBytes} | ${r.weightBytes} | ${firmwareSize(parseElf(elf)).rom_bytes} | ${bitExact ? 'yes' : 'NO'} | ${seconds.toFixed(1)} |`);
  if (!bitExact) process.exitCode = 1;
}
