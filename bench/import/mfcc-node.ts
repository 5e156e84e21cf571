// MFCC front-end throughput on 1-second 16 kHz clips with the parameters of Qualia's GSC DS-CNN config
// (n_fft 1024, win 480, hop 320, pad 320, center false, 40 mels, 10 coefficients → [49, 10]).
// Run: node --import ./bench/import/register.mjs bench/import/mfcc-node.ts

import { performance } from 'node:perf_hooks';
import { mfccBatch } from '../../src/core/preprocessing/mfcc-frontend';
import type { MfccConfig } from '../../src/core/preprocessing/mfcc-frontend';

const config: MfccConfig = { sample_rate: 16000, n_mfcc: 10, dct_type: 2, norm: 'ortho', log_mels: true, melkwargs: { n_fft: 1024, win_length: 480, hop_length: 320, f_min: 20, f_max: 4000, pad: 320, n_mels: 40, power: 2, center: false } };
const clips = 200;
const x = Float32Array.from({ length: clips * 16000 }, (_, i) => Math.sin(i * 0.037) * 0.3 + Math.sin(i * 0.0021) * 0.1);
mfccBatch(x.subarray(0, 16000 * 5), 5, [16000, 1], config, 1); // warm-up
const start = performance.now();
const out = mfccBatch(x, clips, [16000, 1], config, 1);
const ms = performance.now() - start;
console.log(`MFCC (Node ${process.version}): ${clips} clips → [${out.shape.join(', ')}] in ${ms.toFixed(0)} ms = ${(ms / clips).toFixed(2)} ms per 1-s clip (≈ ${((ms / clips) * 105829 / 1000).toFixed(0)} s for all 105 829 Speech Commands v2 clips)`);
