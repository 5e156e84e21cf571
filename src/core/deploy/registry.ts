import { UnsupportedError } from '../base/errors';
import { didYouMean } from '../base/schema';
import type { BoardKind } from './board';
import { esp32c3Target } from './targets/esp32c3/esp32c3';
import { reachBoard, type BoardEnvironment } from './environment';
import { linuxTarget } from './targets/linux';
import { microbitV2Target } from './targets/microbit-v2/microbit-v2';
import { nucleoL452REPTarget } from './targets/nucleo-l452rep';
import { raspberryPiPicoTarget } from './targets/rp2040/raspberry-pi-pico';
import { virtualPicoTarget } from './targets/rp2040/virtual-pico';
import { virtualCortexM4Target } from './targets/virtual-cortex-m4';
import { virtualRV32Target } from './targets/virtual-rv32';
import { wasmTarget } from './targets/wasm';

/**
 * Every deploy.target (board) Mote supports, keyed by Qualia's kind name; one line per board file. The
 * config loader validates deploy.deployer.params and deploy.evaluator.params against these schemas, and the
 * engine reads each board's build, transports and reports (board.ts): no other code names a target.
 */
export const targetKinds = {
  ESP32C3: esp32c3Target,
  Linux: linuxTarget,
  MicrobitV2: microbitV2Target,
  NucleoL452REP: nucleoL452REPTarget,
  RaspberryPiPico: raspberryPiPicoTarget,
  VirtualCortexM4: virtualCortexM4Target,
  VirtualPico: virtualPicoTarget,
  VirtualRV32: virtualRV32Target,
  Wasm: wasmTarget,
} satisfies Record<string, BoardKind>;

export type TargetName = keyof typeof targetKinds;

/** The board `deploy.target` names, or an error listing the boards Mote has. */
export function boardOf(target: string): BoardKind {
  const board = (targetKinds as Record<string, BoardKind>)[target];
  if (!board) throw new UnsupportedError(`deploy.target '${target}' is not supported by Mote yet${didYouMean(target, Object.keys(targetKinds))}; supported: ${Object.keys(targetKinds).join(', ')}`);
  return board;
}

export function allBoards(): BoardKind[] {
  return Object.values(targetKinds);
}

/** The boards an environment can build for and reach, in registry order (the app offers the first as its fallback). */
export function reachableBoards(env: BoardEnvironment): BoardKind[] {
  return allBoards().filter((board) => reachBoard(board, env).ok);
}
