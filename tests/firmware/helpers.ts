// Shared by the firmware tests: reading the fixture model, skipping locally (never in CI) when a system
// tool is missing, and random int8 vectors from the seeded RNG.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../src/core/base/rng';
import type { VirtualBoard } from '../../src/core/deploy/qemu.node';
import { evaluateOnBoard } from '../../src/core/evaluation/evaluator';
import { FIXTURE_DIR, FIXTURE_HASH, fixtureReference } from './fixture-model';

export function hasTool(program: string, args = ['--version']): boolean {
  return spawnSync(program, args, { stdio: 'ignore' }).status === 0;
}

/** True when the test may run; locally prints why it is skipped, in CI a missing tool fails the test. */
export function requireTools(...programs: string[]): boolean {
  const missing = programs.filter((p) => !hasTool(p));
  if (missing.length === 0) return true;
  if (process.env.CI) return true; // let the test fail loudly in CI
  console.warn(`skipping: ${missing.join(', ')} not installed (run scripts/install-system-packages.sh)`);
  return false;
}

export function readModelDir(dir = FIXTURE_DIR): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) if (/\.(c|h)$/.test(name)) files[name] = readFileSync(join(dir, name), 'utf8');
  return files;
}

export function randomInt8Vectors(count: number, length: number, seed: number): Int8Array[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Int8Array.from({ length }, () => rng.int(256) - 128));
}

/** One evaluation of the fixture model on a freshly started virtual board, then its exact instruction
 * counts; the board is stopped whatever happens. */
export async function evaluateFixtureOnce(start: () => Promise<VirtualBoard>, vectors: Int8Array[]) {
  const board = await start();
  try {
    const report = await evaluateOnBoard({
      transport: board.transport,
      vectors,
      labels: vectors.map((v) => Array.from(fixtureReference(v)).indexOf(Math.max(...fixtureReference(v)))),
      reference: (v) => fixtureReference(v),
      expectedModelHash: FIXTURE_HASH,
      batchSize: 16,
    });
    await board.transport.close();
    await board.stop();
    return { report, counts: await board.instructionCounts() };
  } finally {
    await board.stop();
  }
}
