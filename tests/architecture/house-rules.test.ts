// The house rules of docs/engineering.md, checked on the real import graph by dependency-cruiser: one test
// per rule of .dependency-cruiser.cjs (so a violation fails with the rule's name and the offending import),
// plus the rules about what a module *reaches* through static imports, which the config cannot express
// (a dynamic import() is how behaviour loads lazily, so it may cross).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const require = createRequire(import.meta.url);
const config = require(resolve(root, '.dependency-cruiser.cjs')) as { forbidden: { name: string; comment: string }[] };

interface Dependency { resolved: string; dynamic: boolean; dependencyTypes: string[] }
interface Module { source: string; dependencies: Dependency[] }
interface Violation { from: string; to: string; rule: { name: string }; cycle?: { name: string }[] }
interface CruiseResult { modules: Module[]; summary: { violations: Violation[] } }

let result: CruiseResult;

beforeAll(() => {
  const json = execFileSync(resolve(root, 'node_modules/.bin/depcruise'), ['src', 'server', '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], {
    cwd: root, encoding: 'utf8', maxBuffer: 256 << 20,
    // depcruise exits non-zero when rules are violated; the JSON is still what we read.
  }).toString();
  result = JSON.parse(json) as CruiseResult;
}, 120_000);

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  for (const rule of config.forbidden) {
    it(rule.name, () => {
      const broken = result.summary.violations.filter((v) => v.rule.name === rule.name)
        .map((v) => (v.cycle?.length ? `${v.from} → ${v.cycle.map((c) => c.name).join(' → ')}` : `${v.from} → ${v.to}`));
      expect(broken, `${rule.comment}\nViolations:\n${broken.join('\n')}`).toEqual([]);
    });
  }
});

/** Edges that load code when the importing module loads: no dynamic import(), no type-only import. */
function staticEdges(module: Module): string[] {
  return module.dependencies
    .filter((d) => !d.dynamic && !d.dependencyTypes.some((t) => t === 'type-only' || t === 'type-import'))
    .map((d) => d.resolved);
}

/** Edges that load code at some point: static and dynamic imports, no type-only import. */
function loadingEdges(module: Module): string[] {
  return module.dependencies.filter((d) => !d.dependencyTypes.some((t) => t === 'type-only' || t === 'type-import')).map((d) => d.resolved);
}

/** The first static import chain from `start` to a module whose path matches `forbidden`, if any. */
function staticPath(start: string, forbidden: RegExp): string[] | undefined {
  return importPath(start, forbidden, staticEdges);
}

/** The first chain of static or dynamic imports from `start` to a module matching `target`, if any. */
function anyPath(start: string, target: RegExp): string[] | undefined {
  return importPath(start, target, loadingEdges);
}

function importPath(start: string, target: RegExp, edges: (module: Module) => string[]): string[] | undefined {
  const bySource = new Map(result.modules.map((m) => [m.source, m]));
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const current = queue.shift()!;
    if (target.test(current)) {
      const chain: string[] = [];
      for (let at: string | null = current; at !== null; at = previous.get(at) ?? null) chain.unshift(at);
      return chain;
    }
    const module = bySource.get(current);
    if (!module) continue;
    for (const next of edges(module)) {
      if (!previous.has(next)) { previous.set(next, current); queue.push(next); }
    }
  }
  return undefined;
}

const TFJS = /node_modules\/@tensorflow\//;

const reachRules: { name: string; why: string; from: RegExp }[] = [
  {
    name: 'config-and-base-load-no-tfjs',
    why: 'Loading and validating a config (CLI, editor lint and completion) must not load tfjs: the catalog holds descriptors, behaviour loads lazily.',
    from: /^src\/core\/(base\/|config\/|catalog\.ts$)|^src\/ui\/editor\//,
  },
  {
    name: 'codegen-and-integer-reference-load-no-tfjs',
    why: 'The C generator and the integer reference are plain arithmetic; they must run without tfjs (the CLI, the board worker).',
    from: /^src\/core\/codegen\/|^src\/core\/quantization\/(reference-int|quantized-graph)\.ts$|^src\/core\/layers\/shared\/fixed-point\.ts$/,
  },
  {
    name: 'layer-table-loads-tfjs-lazily',
    why: 'The layer table is read by every stage; only the tfjs interpreter may load a layer\'s tfjs facet (layers/<kind>/tfjs.ts, through the import() in its definition).',
    from: /^src\/core\/layers\/(?!.*\/tfjs(-ops)?\.ts$)/,
  },
];

describe('static reachability', () => {
  for (const rule of reachRules) {
    it(rule.name, () => {
      const starts = result.modules.map((m) => m.source).filter((s) => rule.from.test(s));
      expect(starts.length, `no module matches ${rule.from}`).toBeGreaterThan(0);
      const chains = starts.map((s) => staticPath(s, TFJS)).filter((c): c is string[] => c !== undefined);
      expect(chains.map((c) => c.join(' → ')), `${rule.why}\nStatic import chains that reach @tensorflow:`).toEqual([]);
    });
  }

  it('the rules see the real graph (a known chain is found)', () => {
    // Guards the tests above against passing vacuously: the trainer does reach tfjs, and the layer table
    // reaches it too once its dynamic import()s are followed.
    expect(staticPath('src/core/training/train.ts', TFJS)).toBeDefined();
    expect(staticPath('src/core/layers/table.ts', TFJS)).toBeUndefined();
    expect(anyPath('src/core/layers/table.ts', TFJS)).toBeDefined();
  });
});
