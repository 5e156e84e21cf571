// Reproducible runtime images: every prebuilt image under runtime/prebuilt/ (scripts/build-runtime-images.mjs)
// is rebuilt from its sources and must be byte-identical to the committed file, so the binaries a fresh
// checkout runs never drift from the C they claim to be. One test per image, skipped (with the reason
// printed) where its compiler is missing locally; in CI a missing compiler fails (requireTools).
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without type declarations
import { RUNTIME_IMAGES, RUNTIME_PACKAGES } from '../../scripts/build-runtime-images.mjs';
import { requireTools } from '../firmware/helpers';

const ROOT = resolve(__dirname, '../..');

describe('prebuilt Mote Runtime images', () => {
  it('cover the Wasm board, both QEMU boards and the physical boards (their flashable files made from the ELFs)', () => {
    expect(RUNTIME_IMAGES.map((image: { file: string }) => image.file)).toEqual([
      'runtime/prebuilt/mote-runtime.wasm',
      'runtime/prebuilt/mote-runtime-virtual-cortex-m4.elf',
      'runtime/prebuilt/mote-runtime-virtual-rv32.elf',
      'runtime/prebuilt/mote-runtime-rp2040.elf',
      'runtime/prebuilt/mote-runtime-esp32c3.elf',
      'runtime/prebuilt/mote-runtime-nucleo-l452rep.elf',
      'runtime/prebuilt/mote-runtime-microbit-v2.elf',
    ]);
    expect(RUNTIME_PACKAGES.map((p: { file: string }) => p.file)).toEqual([
      'runtime/prebuilt/mote-runtime-esp32c3.bin',
      'runtime/prebuilt/mote-runtime-nucleo-l452rep.hex',
      'runtime/prebuilt/mote-runtime-rp2040.uf2',
      'runtime/prebuilt/mote-runtime-microbit-v2.hex',
    ]);
  });

  // The wasm image's own check is tests/runtime/wasm-runtime.test.ts (same script underneath).
  for (const image of RUNTIME_IMAGES.filter((i: { name: string }) => i.name !== 'wasm') as { name: string; file: string; compiler: string }[]) {
    it.runIf(requireTools(image.compiler))(`${image.file} is byte-identical to a rebuild (${image.compiler})`, () => {
      const out = execFileSync('node', ['scripts/build-runtime-images.mjs', '--check', '--only', image.name], { cwd: ROOT, encoding: 'utf8' });
      expect(out).toMatch(/identical to a rebuild/);
    }, 120_000);
  }
});
