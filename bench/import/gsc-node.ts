// Times the Speech Commands import path (tar.gz streamed through gunzip, tar entries kept by word, PCM16 WAV
// decoding, padding to 16 000 samples) on a synthetic archive in the original layout: 10 digit words × 200
// one-second clips + 5 other words that the 'digits' subset skips while streaming.
// Run: node --import ./bench/import/register.mjs bench/import/gsc-node.ts

import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'fflate';
import { GSC } from '../../src/core/data/kinds/gsc';
import { openNodePath } from '../../src/core/data/source.node';
import { text, wav, writeTar } from '../../tests/data/fixtures';

const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'bed', 'bird', 'cat', 'dog', 'happy'];
const perWord = 200;
const files: Record<string, Uint8Array> = {};
const testing: string[] = [];
const validation: string[] = [];
let seed = 1;
const noise = () => { seed = (Math.imul(seed, 1103515245) + 12345) | 0; return seed >> 18; };
for (const word of words) {
  for (let k = 0; k < perWord; k++) {
    const name = `${word}/${k.toString(16).padStart(8, '0')}_nohash_0.wav`;
    files[name] = wav(Int16Array.from({ length: k % 10 === 0 ? 12000 : 16000 }, () => noise() >> 2));
    if (k % 10 === 1) testing.push(name);
    if (k % 10 === 2) validation.push(name);
  }
}
files['testing_list.txt'] = text(testing.join('\n') + '\n');
files['validation_list.txt'] = text(validation.join('\n') + '\n');
const dir = mkdtempSync(join(tmpdir(), 'mote-gsc-bench-'));
try {
  const archive = gzipSync(writeTar(files), { level: 1 });
  const path = join(dir, 'speech_commands_v0.02.tar.gz');
  writeFileSync(path, archive);
  const times: number[] = [];
  let counts = '';
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    const bundle = await GSC.load({ path, test_path: undefined, variant: 'v2', subset: 'digits', train_valid_split: true, record_length: 16000 }, await openNodePath(path));
    times.push(performance.now() - start);
    counts = `${bundle.train.count} train / ${bundle.valid?.count} valid / ${bundle.test.count} test`;
  }
  times.sort((a, b) => a - b);
  const clips = words.length * perWord;
  console.log(`GSC import (Node ${process.version}, ${(archive.length / 1e6).toFixed(0)} MB tar.gz, ${clips} clips of which ${10 * perWord} kept, ${counts}): median ${times[1].toFixed(0)} ms (${(times[1] / (10 * perWord)).toFixed(2)} ms per kept clip), min ${times[0].toFixed(0)}, max ${times[2].toFixed(0)} over 3 runs`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
