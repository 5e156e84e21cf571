#!/usr/bin/env node
// Builds every prebuilt Mote Runtime image into runtime/prebuilt/, deterministically (fixed flags, paths
// relative to the repository and prefix-mapped, no build id, no debug info):
//   mote-runtime.wasm                     the Wasm board (scripts/build-wasm-runtime.mjs: clang + wasm-ld)
//   mote-runtime-virtual-cortex-m4.elf    QEMU mps2-an386, cortex-m dialect (arm-none-eabi-gcc + newlib-nano)
//   mote-runtime-virtual-rv32.elf         QEMU riscv32 virt, portable dialect (riscv64-unknown-elf-gcc + picolibc)
//   mote-runtime-rp2040.elf               Raspberry Pi Pico (rp2040js, a real Pico), portable dialect (arm-none-eabi-gcc)
//   mote-runtime-esp32c3.elf / .bin       ESP32-C3 devkits, portable dialect; .bin = Espressif app image for offset 0
//   mote-runtime-nucleo-l452rep.elf / .hex  Nucleo-L452RE-P, cortex-m dialect; .hex for the ST-LINK drive
//   mote-runtime-rp2040.uf2               the rp2040 ELF's flash bytes (boot2 sealed) for a real Pico's RPI-RP2 drive
//   mote-runtime-microbit-v2.elf / .hex   BBC micro:bit v2 (nRF52833), cortex-m dialect; .hex for DAPLink (WebUSB or its drive)
// Packaged files (RUNTIME_PACKAGES: .bin, .uf2, .hex) are made from their image's ELF by
// src/core/deploy/runtime-packaging.ts (loaded through tsx) and checked byte for byte like the ELFs.
// A firmware image is the runtime (runtime/src), its firmware glue (runtime/ports/common) and the board's
// own code from firmware-templates/ (startup, UART, counter, link script, the evaluation loop built with
// -DMOTE_EVAL_LOADABLE): one source for both routes. The port's mote_rt_port.h (capacities, dialect) is
// force-included. `--check` rebuilds into a temporary folder and fails if any byte differs from the
// committed images (tests/runtime/runtime-images.test.ts). `--only NAME` limits to one image.
//   node scripts/build-runtime-images.mjs [--check] [--only wasm|virtual-cortex-m4|virtual-rv32|rp2040|esp32c3|nucleo-l452rep|microbit-v2]
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasmRuntime, WASM_RUNTIME_IMAGE } from './build-wasm-runtime.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const COMMON_SOURCES = [
  'firmware-templates/common/mote_main.c',
  'firmware-templates/common/mote_marks.c',
  'firmware-templates/common/mote_crc32.c',
  'firmware-templates/common/mote_protocol_v1.c',
  'runtime/src/mote_runtime.c',
  'runtime/src/mote_rt_kernels.c',
  'runtime/ports/common/mote_rt_firmware.c',
];

const firmware = (board, compiler, target, libc, extra = []) => ({
  name: board,
  file: `runtime/prebuilt/mote-runtime-${board}.elf`,
  compiler,
  args: [
    ...target, '-O3', '-std=c11', '-ffp-contract=off', '-ffunction-sections', '-fdata-sections', '-Wall', '-Werror',
    `-ffile-prefix-map=${root}=.`, '-fno-ident', '-DMOTE_EVAL_LOADABLE',
    '-include', `runtime/ports/${board}/mote_rt_port.h`,
    '-Ifirmware-templates/common', `-Ifirmware-templates/boards/${board}`, '-Iruntime/src',
    ...libc, '-nostartfiles', '-Lfirmware-templates/common', `-Tfirmware-templates/boards/${board}/link.ld`,
    '-Wl,--gc-sections', '-Wl,--build-id=none',
    ...COMMON_SOURCES, `firmware-templates/boards/${board}/board.c`, `firmware-templates/boards/${board}/startup.c`, ...extra,
  ],
});

export const RUNTIME_IMAGES = [
  { name: 'wasm', file: WASM_RUNTIME_IMAGE, compiler: 'clang' },
  firmware('virtual-cortex-m4', 'arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard', '-mthumb'], ['--specs=nano.specs', '--specs=nosys.specs']),
  // -misa-spec=2.2: CSR instructions in the base ISA, multilib rv32im/ilp32 (boards-reference.md §1.10).
  firmware('virtual-rv32', 'riscv64-unknown-elf-gcc', ['-march=rv32imc', '-misa-spec=2.2', '-mabi=ilp32'], ['--specs=picolibc.specs']),
  // The Pico: the ELF (boot2 through runtime/ports/rp2040/mote_rt_boot2.c); boot2's CRC is sealed when the flash image is made from it (targets/rp2040/boot2-seal.ts).
  // Both transports: UART0 (the template's board.c) and Mote's own USB CDC (runtime/ports/rp2040/mote_rt_usb.c), joined by
  // mote_rt_board.c through the linker's --wrap of the three board I/O functions the evaluation loop calls.
  firmware('rp2040', 'arm-none-eabi-gcc', ['-mcpu=cortex-m0plus', '-mthumb'], ['--specs=nano.specs', '--specs=nosys.specs', '-Wl,--wrap=board_init,--wrap=board_uart_read_byte,--wrap=board_uart_write'],
    ['runtime/ports/rp2040/mote_rt_boot2.c', 'runtime/ports/rp2040/mote_rt_board.c', 'runtime/ports/rp2040/mote_rt_usb.c']),
  firmware('esp32c3', 'riscv64-unknown-elf-gcc', ['-march=rv32imc', '-misa-spec=2.2', '-mabi=ilp32'], ['--specs=picolibc.specs']),
  firmware('nucleo-l452rep', 'arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard', '-mthumb'], ['--specs=nano.specs', '--specs=nosys.specs']),
  firmware('microbit-v2', 'arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard', '-mthumb'], ['--specs=nano.specs', '--specs=nosys.specs']),
];

/** What a physical board is flashed with, made from image `from`'s ELF (runtime-packaging.ts `format`). */
export const RUNTIME_PACKAGES = [
  { from: 'esp32c3', file: 'runtime/prebuilt/mote-runtime-esp32c3.bin', format: 'esp-app-image' },
  { from: 'nucleo-l452rep', file: 'runtime/prebuilt/mote-runtime-nucleo-l452rep.hex', format: 'intel-hex' },
  // The real Pico: the same ELF as VirtualPico (its own USB as a CDC serial port, and UART0 on GP0/GP1), boot2 sealed, as UF2.
  { from: 'rp2040', file: 'runtime/prebuilt/mote-runtime-rp2040.uf2', format: 'uf2-rp2040' },
  { from: 'microbit-v2', file: 'runtime/prebuilt/mote-runtime-microbit-v2.hex', format: 'intel-hex' },
];

/** The packaged files of `image`, made from its ELF bytes: [{ file, bytes }]. */
export async function packageRuntimeImages(image, elf) {
  const packages = RUNTIME_PACKAGES.filter((p) => p.from === image.name);
  if (packages.length === 0) return [];
  const { tsImport } = await import('tsx/esm/api');
  const { packageRuntimeImage } = await tsImport('../src/core/deploy/runtime-packaging.ts', import.meta.url);
  const out = [];
  for (const p of packages) out.push({ file: p.file, bytes: Buffer.from(await packageRuntimeImage(p.format, new Uint8Array(elf))) });
  return out;
}

/** Whether the compiler an image needs is on the PATH. */
export function hasCompiler(image) {
  return spawnSync(image.compiler, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Builds one image into `outFile`; returns its bytes. */
export function buildRuntimeImage(image, outFile) {
  if (image.name === 'wasm') return buildWasmRuntime(outFile);
  const out = resolve(outFile);
  const temporary = `${out}.tmp`;
  try {
    execFileSync(image.compiler, [...image.args, '-o', relative(root, temporary)], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new Error(`${image.compiler} could not build ${image.file} (scripts/install-system-packages.sh installs it): ${error.message}`);
  }
  chmodSync(temporary, 0o644); // loaded by the emulator, never executed here: the same mode in every checkout
  renameSync(temporary, out);
  return readFileSync(out);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
  const images = RUNTIME_IMAGES.filter((image) => !only || image.name === only);
  if (only && images.length === 0) {
    console.error(`no runtime image named ${only}; expected one of ${RUNTIME_IMAGES.map((i) => i.name).join(', ')}`);
    process.exit(2);
  }
  let failed = false;
  if (args.includes('--check')) {
    const dir = mkdtempSync(join(tmpdir(), 'mote-runtime-images-'));
    try {
      for (const image of images) {
        const elf = buildRuntimeImage(image, join(dir, image.file.split('/').pop()));
        for (const { file, bytes: rebuilt } of [{ file: image.file, bytes: elf }, ...(await packageRuntimeImages(image, elf))]) {
          const committed = readFileSync(join(root, file));
          if (!rebuilt.equals(committed)) {
            console.error(`${file} differs from a rebuild of its sources (${committed.length} vs ${rebuilt.length} bytes): run node scripts/build-runtime-images.mjs and commit the images`);
            failed = true;
          } else {
            console.log(`${file}: ${committed.length} bytes, identical to a rebuild`);
          }
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else {
    for (const image of images) {
      const elf = buildRuntimeImage(image, join(root, image.file));
      console.log(`${image.file}: ${elf.length} bytes`);
      for (const { file, bytes } of await packageRuntimeImages(image, elf)) {
        writeFileSync(join(root, file), bytes);
        chmodSync(join(root, file), 0o644);
        console.log(`${file}: ${bytes.length} bytes`);
      }
    }
  }
  process.exit(failed ? 1 : 0);
}
