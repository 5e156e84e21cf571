// Mote's `VirtualRV32` target: the firmware template + generated model built with riscv64-unknown-elf-gcc
// for rv32imc (the ESP32-C3's instruction set) with picolibc, run on QEMU's riscv32 `virt` machine and
// evaluated over its 16550 UART with protocol v1; exact instructions per inference (TCG plugin) and the
// firmware's own minstret count, and ROM/RAM from the ELF. It checks RISC-V code generation and kernels
// bit-exactly; it is not an ESP32-C3 (no C3 peripherals, no cache or flash timing).
import { boolean, integer, oneOf, optional, relativePath, table } from '../../base/schema';
import type { BoardKind } from '../board';
import { evaluationProtocols, optimizationLevels } from '../firmware-build';
import { riscv32Virt } from '../qemu-machine';

const deployerParams = table({
  /** Where the .elf goes (default out/deploy/VirtualRV32). */
  outdir: optional(relativePath()),
  /** Compiler optimization level for the whole firmware. */
  optimize: oneOf(optimizationLevels, 'O3'),
});

const evaluatorParams = table({
  /** Seconds to wait for the board before giving up. */
  timeout: integer(30, { min: 1 }),
  /** Evaluate a seeded permutation of the test set (with deploy.limit, a random subset). */
  shuffle: boolean(false),
  /** Count instructions exactly with the QEMU plugin (needs gcc); the firmware's minstret count otherwise. */
  exact_instructions: boolean(true),
  /** Firmware protocol: Mote's binary v1, or Qualia's text protocol. */
  protocol: oneOf(evaluationProtocols, 'mote-v1'),
});

type Deployer = ReturnType<typeof deployerParams.parse>;
type Evaluator = ReturnType<typeof evaluatorParams.parse>;

export const virtualRV32Target = {
  kind: 'VirtualRV32',
  title: 'Virtual RV32 (QEMU riscv32 virt)',
  summary: 'rv32imc firmware on QEMU riscv32 virt: bit-exact check, exact instructions per inference, ROM/RAM',
  params: deployerParams,
  evaluatorParams,
  build: {
    kind: 'firmware',
    firmware: 'virtual-rv32',
    toolchains: ['local', 'hosted'],
    options: (deployer: Deployer, evaluator: Evaluator) => ({ protocol: evaluator.protocol, optimize: deployer.optimize }),
  },
  transports: ['qemu'],
  qemu: riscv32Virt,
  // Runtime route (converter MoteRuntime): the prebuilt image (scripts/build-runtime-images.mjs) on the same
  // machine, the model blob loaded over its UART (protocol 2); portable kernels (no DSP extension).
  runtime: { image: 'mote-runtime-virtual-rv32.elf', dialect: 'c99' },
  // `-icount shift=0` makes minstret count instructions, not time; link.ld gives 4 MiB + 4 MiB.
  reports: { size: 'elf', counter: 'instructions', latency: false, clockHz: () => null },
  capacity: { flashBytes: 4 * 1024 * 1024, ramBytes: 4 * 1024 * 1024, clockHz: null },
  // No DSP extension: the CMSIS-NN style variants are Arm-only.
  acceptsOptimize: false,
  protocol: (evaluator: Evaluator) => evaluator.protocol,
  exactInstructions: (evaluator: Evaluator) => evaluator.exact_instructions,
  timeoutSeconds: (evaluator: Evaluator) => evaluator.timeout,
  shuffle: (evaluator: Evaluator) => evaluator.shuffle,
} satisfies BoardKind<Deployer, Evaluator>;
