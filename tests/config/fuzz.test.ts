// 10 000 seeded random mutations of real configs (byte flips, deleted / duplicated lines, swapped values,
// random command-line overrides): the loader must always answer with diagnostics, never throw, and every
// diagnostic must point at a real line and column. Uses ../shared/qualia-conf when present, else the samples.
// FUZZ_SEED=<n> explores another sequence.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadExperiment } from '../../src/core/config/load';
import { createRng, type Rng } from '../../src/core/base/rng';

const ITERATIONS = 10_000;

function tomlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tomlFiles(path) : name.endsWith('.toml') ? [path] : [];
  });
}

const shared = resolve(__dirname, '../../../shared/qualia-conf');
const corpus = (existsSync(shared) ? tomlFiles(shared) : tomlFiles(resolve(__dirname, '../samples/config'))).sort().map((f) => readFileSync(f, 'utf8'));

const NOISE = ['"', "'", '[', ']', '[[', ']]', '=', '\n', '#', '{', '}', ',', '.', ' ', '\\', 'x', '0', '-', '_', 'é', '🎉', '\u0000', '"""', 'true', '1e400', '__proto__'];
const PATHS = ['bench.name', 'bench.seed', 'model.0.epochs', 'model.1.params.filters', 'model_template.kind', 'deploy.quantize', 'deploy', 'model', 'model.9', 'includes', 'dataset.params.path', 'postprocessing.0.params.model', 'x.y.z', 'model.0', 'bench'];
const VALUES = ['1', 'True', 'None', '"Linux"', "'\"Linux\"'", '[1, 2]', '{a = 1}', "{'a': [1, (2, 3)]}", 'Linux', '', '[', '-1', '1.5', '[[]]', '{"0": 1}'];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)];
}

function mutate(text: string, rng: Rng): { text: string; overrides: string[] } {
  let lines = text.split('\n');
  const overrides: string[] = [];
  const steps = 1 + rng.int(4);
  for (let s = 0; s < steps; s++) {
    const at = rng.int(Math.max(1, lines.length));
    switch (rng.int(6)) {
      case 0: { // byte flip
        const line = lines[at] ?? '';
        const col = rng.int(line.length + 1);
        lines[at] = line.slice(0, col) + pick(rng, NOISE) + line.slice(col + 1);
        break;
      }
      case 1: lines.splice(at, 1); break;
      case 2: lines.splice(at, 0, lines[rng.int(lines.length)] ?? ''); break;
      case 3: { // swap the values of two assignments
        const assignments = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\s*[\w."-]+\s*=/.test(l));
        if (assignments.length < 2) break;
        const [a, i] = pick(rng, assignments);
        const [b, j] = pick(rng, assignments);
        const va = a.slice(a.indexOf('=') + 1);
        const vb = b.slice(b.indexOf('=') + 1);
        lines[i] = a.slice(0, a.indexOf('=') + 1) + vb;
        lines[j] = b.slice(0, b.indexOf('=') + 1) + va;
        break;
      }
      case 4: overrides.push(`--${pick(rng, PATHS)}=${pick(rng, VALUES)}`); break;
      default: lines = lines.slice(0, at); break; // truncated file
    }
  }
  return { text: lines.join('\n'), overrides };
}

describe('config loader fuzz', () => {
  test(`${ITERATIONS} mutated configs give clean results`, () => {
    expect(corpus.length).toBeGreaterThan(0);
    const rng = createRng(Number(process.env.FUZZ_SEED ?? 20261124));
    let loaded = 0;
    for (let i = 0; i < ITERATIONS; i++) {
      const { text, overrides } = mutate(pick(rng, corpus), rng.fork(`case ${i}`));
      let result: ReturnType<typeof loadExperiment>;
      try {
        result = loadExperiment(text, { file: 'fuzz.toml', overrides });
      } catch (error) {
        throw new Error(`case ${i} threw ${(error as Error).stack}\noverrides: ${JSON.stringify(overrides)}\n--- text ---\n${text}`);
      }
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      if (result.experiment) loaded++;
      for (const d of result.diagnostics) {
        if (!(d.line >= 1 && d.column >= 1 && d.message.length > 0)) {
          throw new Error(`case ${i}: bad diagnostic ${JSON.stringify(d)}\n--- text ---\n${text}`);
        }
      }
      expect(result.experiment === undefined, `case ${i}`).toBe(errors.length > 0);
    }
    // Mutations must not all be fatal, or this would not exercise validation.
    expect(loaded).toBeGreaterThan(0);
    expect(loaded).toBeLessThan(ITERATIONS);
  });
});
