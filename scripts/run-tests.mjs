#!/usr/bin/env node
// Runs every test suite (unit + integration under vitest, then the browser e2e suite) and ends with
// one plain summary line, `tests: N passed, N failed, N skipped`, that CI and people can read.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';

const suites = [
  { name: 'unit', config: 'vitest.config.ts' },
  { name: 'e2e', config: 'vitest.e2e.config.ts' },
];
const only = process.argv.slice(2);
mkdirSync('.cache', { recursive: true });
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
for (const suite of suites) {
  if (only.length && !only.includes(suite.name)) continue;
  const report = `.cache/vitest-${suite.name}.json`;
  rmSync(report, { force: true });
  console.log(`\n=== ${suite.name} tests (${suite.config}) ===`);
  const run = spawnSync('node_modules/.bin/vitest', [ 'run', '--config', suite.config, '--reporter=default', '--reporter=json', `--outputFile=${report}`], { stdio: 'inherit' });
  if (run.status !== 0) exitCode = 1;
  try {
    const json = JSON.parse(readFileSync(report, 'utf8'));
    totals.passed += json.numPassedTests;
    totals.failed += json.numFailedTests;
    totals.skipped += json.numPendingTests + json.numTodoTests;
    if (json.numTotalTests === 0) { console.error(`${suite.name}: no test ran`); exitCode = 1; }
  } catch {
    console.error(`${suite.name}: the test runner wrote no report (it crashed before the end)`);
    totals.failed += 1;
    exitCode = 1;
  }
}
console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(exitCode);
