// Mote's wasm training kernels (src/core/training/heap-kernels/kernels.c) ship as generated TypeScript
// (kernels-wasm.ts); it must be what the C builds to, and the module must own no memory (it runs on
// tfjs-wasm's). Skipped where clang is missing locally; in CI a missing compiler fails (requireTools).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireTools } from '../firmware/helpers';

const ROOT = resolve(__dirname, '../..');

describe('heap kernels', () => {
  it.runIf(requireTools('clang', 'llvm-objdump'))('kernels-wasm.ts is identical to a rebuild of kernels.c (no data segment, no stack)', () => {
    const out = execFileSync('node', ['scripts/build-heap-kernels.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toMatch(/identical to a rebuild/);
  }, 60_000);
});
