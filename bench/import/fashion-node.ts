// Times the import of the real Fashion-MNIST (.gz IDX files) in Node: read, gunzip, parse, build the bundle.
// Run: node --import ./bench/import/register.mjs bench/import/fashion-node.ts [folder]

import { performance } from 'node:perf_hooks';
import { FashionMNIST } from '../../src/core/data/kinds/fashion-mnist';
import { openNodePath } from '../../src/core/data/source.node';

const folder = process.argv[2] ?? '/usr/share/datasets/fashion-mnist';
const runs = 5;
for (const dtype of ['uint8', 'float32'] as const) {
  const times: number[] = [];
  let counts = '';
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const bundle = await FashionMNIST.load({ path: folder, dtype }, await openNodePath(folder));
    times.push(performance.now() - start);
    counts = `${bundle.train.count} train / ${bundle.test.count} test`;
  }
  times.sort((a, b) => a - b);
  console.log(`Fashion-MNIST import (Node ${process.version}, dtype ${dtype}, ${counts}): median ${times[runs >> 1].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[runs - 1].toFixed(0)} ms over ${runs} runs`);
}
