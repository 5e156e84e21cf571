// Mote's `VirtualCortexM4` target: the firmware template + generated model built with arm-none-eabi-gcc
// for QEMU's mps2-an386 (Cortex-M4F) and evaluated there over TCP with protocol v1; reports exact
// instructions per inference (TCG plugin) and Qualia-style ROM/RAM. Runs in Node (qemu-system-arm) or
// through the hosted toolchain's QEMU bridge from a browser.
import { boolean, integer, oneOf, optional, relativePath, table } from '../../base/schema';
import type { BoardKind } from '../board';
import { evaluationProtocols, optimizationLevels } from '../firmware-build';
import { mps2An386 } from '../qemu-machine';

const deployerParams = table({
  /** Where the .elf goes (default out/deploy/VirtualCortexM4). */
  outdir: optional(relativePath()),
  /** Compiler optimization level for the whole firmware (-O3 by default, Qualia builds boards with -Ofast). */
  optimize: oneOf(optimizationLevels, 'O3'),
});

const evaluatorParams = table({
  /** Seconds to wait for the board before giving up (as Qualia's evaluator). */
  timeout: integer(30, { min: 1 }),
  /** Evaluate a seeded permutation of the test set (with deploy.limit, a random subset). */
  shuffle: boolean(false),
  /** Count instructions exactly with the QEMU plugin (needs gcc); otherwise SysTick, ±40 instructions. */
  exact_instructions: boolean(true),
  /** Firmware protocol: Mote's binary v1, or Qualia's text protocol (for compatibility checks). */
  protocol: oneOf(evaluationProtocols, 'mote-v1'),
});

type Deployer = ReturnType<typeof deployerParams.parse>;
type Evaluator = ReturnType<typeof evaluatorParams.parse>;

export const virtualCortexM4Target = {
  kind: 'VirtualCortexM4',
  title: 'Virtual Cortex-M4 (QEMU mps2-an386)',
  summary: 'Cortex-M4F firmware on QEMU mps2-an386: bit-exact check, exact instructions per inference, ROM/RAM',
  params: deployerParams,
  evaluatorParams,
  build: {
    kind: 'firmware',
    firmware: 'virtual-cortex-m4',
    toolchains: ['local', 'hosted'],
    options: (deployer: Deployer, evaluator: Evaluator) => ({ protocol: evaluator.protocol, optimize: deployer.optimize }),
  },
  transports: ['qemu', 'hosted'],
  qemu: mps2An386,
  // Runtime route (converter MoteRuntime): the prebuilt image (scripts/build-runtime-images.mjs) on the same
  // machine, the model blob loaded over its UART (protocol 2); SMLAD kernels, packed weights.
  runtime: { image: 'mote-runtime-virtual-cortex-m4.elf', dialect: 'cortex-m' },
  // `-icount shift=0`: one instruction per virtual ns, so the counter is instructions, not a clock; the
  // template's link.ld gives 4 MiB of flash and 4 MiB of RAM.
  reports: { size: 'elf', counter: 'instructions', latency: false, clockHz: () => null },
  capacity: { flashBytes: 4 * 1024 * 1024, ramBytes: 4 * 1024 * 1024, clockHz: null },
  acceptsOptimize: true,
  protocol: (evaluator: Evaluator) => evaluator.protocol,
  exactInstructions: (evaluator: Evaluator) => evaluator.exact_instructions,
  timeoutSeconds: (evaluator: Evaluator) => evaluator.timeout,
  shuffle: (evaluator: Evaluator) => evaluator.shuffle,
} satisfies BoardKind<Deployer, Evaluator>;
