// "Nothing outside the board registry branches on a target's name" (docs/engineering.md): a scan of the
// sources for comparisons and `case` labels against a registered deploy.target. Behaviour that depends on
// the board is a field of its declaration (src/core/deploy/board.ts), read by the engine.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { targetKinds } from '../../src/core/deploy/registry';

const root = resolve(__dirname, '../..');
const allowed = /^src\/core\/deploy\/(targets\/|registry\.ts$|board\.ts$)/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.generated.ts') ? [path] : [];
  });
}

/** `x === 'Name'`, `'Name' !== x`, `case 'Name':` with any quote. */
function branchPatterns(name: string): RegExp[] {
  const quoted = `['"\`]${name}['"\`]`;
  return [new RegExp(`[!=]==?\\s*${quoted}`), new RegExp(`${quoted}\\s*[!=]==?`), new RegExp(`case\\s+${quoted}\\s*:`)];
}

describe('target names', () => {
  const names = Object.keys(targetKinds);

  it('the scan finds what it looks for', () => {
    expect(names.length).toBeGreaterThan(2);
    const [first] = names;
    expect(branchPatterns(first).some((p) => p.test(`if (target === '${first}') {`))).toBe(true);
    expect(branchPatterns(first).some((p) => p.test(`  case "${first}":`))).toBe(true);
    expect(branchPatterns(first).some((p) => p.test(`const label = '${first}';`))).toBe(false);
  });

  it('no code outside the board files compares against a target name', () => {
    const found: string[] = [];
    for (const file of [...sources(join(root, 'src')), ...sources(join(root, 'server'))]) {
      const path = relative(root, file);
      if (allowed.test(path)) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, index) => {
        for (const name of names) if (branchPatterns(name).some((p) => p.test(line))) found.push(`${path}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(found, 'put the behaviour in the board\'s declaration (src/core/deploy/board.ts) instead').toEqual([]);
  });
});
