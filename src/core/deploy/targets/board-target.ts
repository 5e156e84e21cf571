// What the board targets (VirtualCortexM4, NucleoL452REP, Wasm) declare beyond KindInfo: the firmware
// board they build, and the schema of `deploy.evaluator.params` (target.params is deploy.deployer.params,
// as the config loader validates it).
import type { Schema } from '../../base/schema';
import type { KindInfo } from '../../base/kinds';
import type { FirmwareBoard } from '../firmware-build';
import type { Toolchain } from '../toolchain';

export interface BoardTargetKind<P = unknown, E = unknown> extends KindInfo<P> {
  readonly board: FirmwareBoard;
  readonly evaluatorParams: Schema<E>;
  /** Toolchains able to build this board's firmware. */
  readonly toolchains: readonly Toolchain['kind'][];
}
