// Mote's `VirtualCortexM4` target: the firmware template + generated model built with arm-none-eabi-gcc
// for QEMU's mps2-an386 (Cortex-M4F) and evaluated there over TCP with protocol v1; reports exact
// instructions per inference (TCG plugin) and Qualia-style ROM/RAM. Runs in Node (qemu-system-arm) or
// through the hosted toolchain's QEMU bridge from a browser.
import { boolean, integer, oneOf, optional, string, table } from '../../base/schema';
import { evaluationProtocols, optimizationLevels } from '../firmware-build';
import type { BoardTargetKind } from './board-target';

export const virtualCortexM4Target = {
  kind: 'VirtualCortexM4',
  summary: 'Cortex-M4F firmware on QEMU mps2-an386: bit-exact check, exact instructions per inference, ROM/RAM',
  board: 'virtual-cortex-m4',
  toolchains: ['local', 'hosted'],
  params: table({
    /** Where the .elf goes (default out/deploy/VirtualCortexM4). */
    outdir: optional(string()),
    /** Compiler optimization level for the whole firmware (-O3 by default, Qualia builds boards with -Ofast). */
    optimize: oneOf(optimizationLevels, 'O3'),
  }),
  evaluatorParams: table({
    /** Seconds to wait for the board before giving up (as Qualia's evaluator). */
    timeout: integer(30, { min: 1 }),
    /** Evaluate a seeded permutation of the test set (with deploy.limit, a random subset). */
    shuffle: boolean(false),
    /** Count instructions exactly with the QEMU plugin (needs gcc); otherwise SysTick, ±40 instructions. */
    exact_instructions: boolean(true),
    /** Firmware protocol: Mote's binary v1, or Qualia's text protocol (for compatibility checks). */
    protocol: oneOf(evaluationProtocols, 'mote-v1'),
  }),
} satisfies BoardTargetKind;
