#!/usr/bin/env node
// `npm run bench:inference`: runs bench/inference/run.ts through tsx with the `*.node.ts` resolve hook.
// `node bench/inference/start.mjs headline [O2|O3 …]`: the cortex-m dialect only (bench/inference/headline.ts).
// `node bench/inference/start.mjs runtime-vs-c`: the Mote Runtime against the generated C on VirtualCortexM4 (bench/inference/runtime-vs-c.ts).
// `node bench/inference/start.mjs runtime-layers`: the Fashion CNN's layers alone, runtime vs generated C (bench/inference/runtime-layers.ts).
// `node bench/inference/start.mjs runtime-exact`: every zoo model and the runtime's fast-path shapes on one VirtualCortexM4 runtime, bit-exact (bench/inference/runtime-exact.ts).
// `node bench/inference/start.mjs depthwise`: the DS-CNN depthwise layer alone (bench/inference/depthwise.ts).
// `node bench/inference/start.mjs mlperf-tiny [kws ic vww ad uci-har]`: MLPerf Tiny's networks (bench/inference/mlperf-tiny.ts).
// `node bench/inference/start.mjs profile <kws|ic|vww|ad> [layer …]`: each Conv/Dense layer of one network alone (bench/inference/profile.ts).
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register('../../bin/resolve-node-suffix.mjs', import.meta.url);
const entries = { 'runtime-layers': './runtime-layers.ts', 'runtime-exact': './runtime-exact.ts', headline: './headline.ts', 'runtime-vs-c': './runtime-vs-c.ts', depthwise: './depthwise.ts', 'mlperf-tiny': './mlperf-tiny.ts', layers: './layers.ts', profile: './profile.ts' };
await import(entries[process.argv[2]] ?? './run.ts');
