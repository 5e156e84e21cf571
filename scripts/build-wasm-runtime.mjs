#!/usr/bin/env node
// Builds the Mote Runtime's wasm32 image (runtime/ports/wasm) with Debian's clang and wasm-ld into
// runtime/prebuilt/mote-runtime.wasm, deterministically: fixed flags, relative paths, source paths mapped
// (-ffile-prefix-map), no debug or name sections. `--check` rebuilds into a temporary file and fails if its
// bytes differ from the committed image (tests/runtime/wasm-runtime-image.test.ts runs it).
//   node scripts/build-wasm-runtime.mjs [--check] [--out FILE]
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const WASM_RUNTIME_IMAGE = 'runtime/prebuilt/mote-runtime.wasm';
export const WASM_RUNTIME_SOURCES = [
  'runtime/ports/wasm/mote_rt_wasm.c',
  'runtime/ports/wasm/mote_rt_wasm_string.c',
  'runtime/src/mote_runtime.c',
  'runtime/src/mote_rt_kernels.c',
  'firmware-templates/common/mote_crc32.c',
];
export const WASM_RUNTIME_FLAGS = [
  '--target=wasm32', '-nostdlib', '-ffreestanding', '-O2', '-std=c11', '-Wall', '-Wextra', '-Werror',
  `-ffile-prefix-map=${root}=.`, '-fno-ident',
  '-Iruntime/ports/wasm/include', '-Iruntime/src', '-Ifirmware-templates/common',
  '-Wl,--no-entry', '-Wl,--strip-all', '-Wl,-z,stack-size=65536',
];

export function buildWasmRuntime(outFile) {
  const out = resolve(outFile);
  const temporary = `${out}.tmp`;
  try {
    execFileSync('clang', [...WASM_RUNTIME_FLAGS, ...WASM_RUNTIME_SOURCES, '-o', relative(root, temporary)], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new Error(`clang could not build the wasm runtime image (needs Debian's clang and lld: scripts/install-system-packages.sh): ${error.message}`);
  }
  chmodSync(temporary, 0o644); // a data file, not a program: the same mode in every checkout
  renameSync(temporary, out);
  return readFileSync(out);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  if (args.includes('--check')) {
    const dir = mkdtempSync(join(tmpdir(), 'mote-wasm-runtime-'));
    try {
      const rebuilt = buildWasmRuntime(join(dir, 'mote-runtime.wasm'));
      const committed = readFileSync(join(root, WASM_RUNTIME_IMAGE));
      if (!rebuilt.equals(committed)) {
        console.error(`${WASM_RUNTIME_IMAGE} differs from a rebuild of its sources (${committed.length} vs ${rebuilt.length} bytes): run node scripts/build-wasm-runtime.mjs and commit the image`);
        process.exit(1);
      }
      console.log(`${WASM_RUNTIME_IMAGE}: ${committed.length} bytes, identical to a rebuild`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    const out = outAt >= 0 ? args[outAt + 1] : join(root, WASM_RUNTIME_IMAGE);
    const bytes = buildWasmRuntime(out);
    console.log(`${relative(root, resolve(out))}: ${bytes.length} bytes`);
  }
}
