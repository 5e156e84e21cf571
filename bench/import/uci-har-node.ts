// Times the UCI-HAR import at the real size (7 352 train / 2 947 test windows, ≈ 280 MB of fixed-width text)
// from a zip written in the original layout (the real archive cannot be redistributed; values are synthetic,
// formatting and sizes are the original's). Run: node --import ./bench/import/register.mjs bench/import/uci-har-node.ts

import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { UCI_HAR } from '../../src/core/data/kinds/uci-har';
import { openNodePath } from '../../src/core/data/source.node';
import { uciHarFiles } from '../../tests/data/fixtures';

const dir = mkdtempSync(join(tmpdir(), 'mote-uci-bench-'));
try {
  let start = performance.now();
  const files = uciHarFiles({ train: 7352, test: 2947 });
  const text = Object.values(files).reduce((a, b) => a + b.length, 0);
  const zip = zipSync(files, { level: 6 });
  const path = join(dir, 'UCI HAR Dataset.zip');
  writeFileSync(path, zip);
  console.log(`fixture: ${(text / 1e6).toFixed(0)} MB of text, zip ${(zip.length / 1e6).toFixed(0)} MB, written in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  for (const variant of ['raw', 'features'] as const) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      start = performance.now();
      const bundle = await UCI_HAR.load({ path, variant }, await openNodePath(path));
      times.push(performance.now() - start);
      if (bundle.train.count !== 7352 || bundle.test.count !== 2947) throw new Error('wrong counts');
    }
    times.sort((a, b) => a - b);
    console.log(`UCI-HAR import from the zip (Node ${process.version}, variant ${variant}): median ${times[1].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[2].toFixed(0)} ms over 3 runs`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
