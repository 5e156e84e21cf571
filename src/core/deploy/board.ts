// The board interface: everything Mote needs to know about a `deploy.target`, declared in the board's one
// file under targets/ and listed once in registry.ts. A board says
//   - how it builds: the generated sources it needs (the model alone, or with the host harness), the
//     firmware template it is built into and which toolchains (toolchains.ts) accept that build;
//   - how it is reached: the transports (transports.ts) that carry the evaluation to it, in the order
//     they are preferred (a process on this computer, QEMU, a Wasm worker, Web Serial, the hosted service);
//   - what it reports: where ROM/RAM come from, what its per-inference counter counts, its clock and its
//     flash/RAM capacity;
//   - a human title, for the app's pages and messages;
//   - optionally, the prebuilt Mote Runtime image it runs model blobs on (the runtime route, converter MoteRuntime).
// The engine (pipeline/evaluate.ts) reads only these fields; nothing else tests a target's name.
import type { KindInfo } from '../base/kinds';
import type { Schema } from '../base/schema';
import type { Dialect } from '../layers/facets/c';
import type { FirmwareBoard, FirmwareBuildOptions } from './firmware-build';
import type { QemuMachine } from './qemu-machine';
import type { BuildOutput } from './toolchain';
import type { ToolchainKind } from './toolchains';
import type { TransportKind } from './transports';

/** A bare-metal or Wasm firmware: the template of `firmware-templates/boards/<firmware>` plus the model. */
export interface FirmwareBuild<P, E> {
  readonly kind: 'firmware';
  readonly firmware: FirmwareBoard;
  /** Toolchains able to build it, preferred first. */
  readonly toolchains: readonly ToolchainKind[];
  /** The build options (fixed command-line switches) that the board's params select. */
  options(deployer: P, evaluator: E): FirmwareBuildOptions;
  /**
   * What the board is given after linking, from the toolchain's outputs (pure, any environment): e.g. the
   * RP2040's image with boot2's CRC filled in and its UF2. Without it the outputs are used as they are.
   */
  package?(output: BuildOutput): BuildOutput | Promise<BuildOutput>;
}

/** The generated C plus a host harness, compiled and run on this computer (no firmware, no protocol). */
export interface HostBuild {
  readonly kind: 'host';
  readonly toolchains: readonly ToolchainKind[];
}

export interface BoardReports {
  /** ROM/RAM: from the firmware's ELF sections, from the host object file, or not measurable. */
  readonly size: 'elf' | 'host-object' | 'none';
  /** What the board's per-inference counter counts (the QEMU plugin's exact count wins when present). */
  readonly counter: 'instructions' | 'cycles' | 'microseconds' | 'none';
  /** Whether that counter is a real on-board latency worth a results.json `avg_latency_us`. */
  readonly latency: boolean;
  /** Core clock in Hz for the given deployer params (a board may run slower than its capacity); null without a clock. */
  clockHz(deployer: never): number | null;
}

/** What the physical (or emulated) board has: what a model must fit in, and its fastest clock. */
export interface BoardCapacity {
  /** Flash and RAM the firmware may use, in bytes; null when unbounded (the host, a Wasm board). */
  readonly flashBytes: number | null;
  readonly ramBytes: number | null;
  /** Fastest core clock in Hz; null when the board has no meaningful clock (an emulator counting instructions). */
  readonly clockHz: number | null;
}

/** How a physical board gets its firmware once (the app's Install button, `mote flash`). */
export interface BoardInstall {
  /**
   * 'esptool': Espressif's serial ROM loader; 'uf2-drive' / 'file-drive': copy a file onto the drive the board shows;
   * 'daplink-webusb': an Arm DAPLink interface chip's flash commands over WebUSB (@microbit/microbit-connection),
   * or (the CLI) the file copied onto the DAPLink drive.
   */
  readonly method: 'esptool' | 'uf2-drive' | 'file-drive' | 'daplink-webusb';
  /** The build output that is installed. */
  readonly file: string;
  /** Flash offset ('esptool'). */
  readonly address?: number;
  /** A file the board's drive always holds, to recognise it ('uf2-drive', 'file-drive'). */
  readonly driveMarker?: string;
  /** What the person does with the board first, in plain words. */
  readonly steps: string;
  /**
   * ('uf2-drive') A board already running the Mote Runtime reboots into its drive when a host opens the
   * runtime's USB serial port at this baud rate and closes it (the 1200-baud touch,
   * src/devices/drive-touch.ts); `steps` stay the way in when nothing answers.
   */
  readonly touchBaud?: number;
}

/** The Mote Runtime image a board runs model blobs on (runtime/prebuilt/, built by scripts/build-*-runtime*.mjs). */
export interface BoardRuntime {
  /**
   * File under runtime/prebuilt/, e.g. 'mote-runtime.wasm'; on a physical board the file it is flashed with
   * (installed the way `install` says: `mote flash TARGET` without a file, the app's Install button).
   */
  readonly image: string;
  /** Kernel layout the image expects in the blob. */
  readonly dialect: Dialect;
  /**
   * The image's fixed buffers (its port's mote_rt_port.h; tests/runtime/runtime-capacity.test.ts checks them
   * against the ELF): the largest blob and activation arena it takes, what is left of the board's RAM once
   * the runtime's own code, tables and buffers are placed. A model that needs more is refused before any
   * byte is sent (runtime-fit.ts). Absent: bounded only by the host's memory (the Wasm board).
   */
  readonly holds?: { readonly blobBytes: number; readonly arenaBytes: number };
}

export interface BoardKind<P = any, E = any> extends KindInfo<P> {
  /** A human name for pages and messages (the kind is Qualia's config name). */
  readonly title: string;
  readonly capacity: BoardCapacity;
  /** Schema of `deploy.evaluator.params` (`params` is `deploy.deployer.params`); both checked by the config loader. */
  readonly evaluatorParams: Schema<E>;
  readonly build: FirmwareBuild<P, E> | HostBuild;
  /** Transports that reach the board, preferred first. */
  readonly transports: readonly TransportKind[];
  /** The QEMU machine the `qemu` transport starts for this board (qemu-machine.ts). */
  readonly qemu?: QemuMachine;
  /** How the firmware is put on a physical board; absent for virtual boards. */
  readonly install?: BoardInstall;
  /** The prebuilt Mote Runtime image this board runs models on (runtime route); absent: generated-C route only. */
  readonly runtime?: BoardRuntime;
  readonly reports: BoardReports;
  /**
   * Whether `deploy.optimize` variants (CMSIS-NN style DSP code) can run on it; a host build cannot.
   * Checked by prepare_deploy before any C is written.
   */
  readonly acceptsOptimize: boolean;
  /** Protocol of the evaluation firmware (from evaluator params); firmware boards only. */
  protocol?(evaluator: E): 'mote-v1' | 'qualia';
  /** Serial settings when the board is reached over a serial line. */
  serial?(evaluator: E): { dev: string; baudrate: number };
  /** Whether to count instructions exactly outside the firmware (an emulator plugin), when the transport can. */
  exactInstructions?(evaluator: E): boolean;
  /** Seconds to wait for the board (frames, the device to appear). */
  timeoutSeconds(evaluator: E): number;
  /** Evaluate a seeded permutation of the test set. */
  shuffle(evaluator: E): boolean;
}

/** Where a board's build files go: the deployer's `outdir`, else Qualia's `out/deploy/<Target>`. */
export function boardOutdir(board: BoardKind, deployer: Record<string, unknown>): string {
  const outdir = deployer.outdir;
  return (typeof outdir === 'string' && outdir !== '' ? outdir : `out/deploy/${board.kind}`).replace(/\/+$/, '');
}
