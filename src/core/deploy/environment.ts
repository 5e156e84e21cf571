// What a place that runs Mote (Node for the CLI and tests, the browser for the app) offers to the boards:
// the toolchains it can build with, a connector per transport it can open, and — for the runtime route
// (converter MoteRuntime) — a runtime executor per transport that can run a board's prebuilt Mote Runtime
// image on a model blob. The board registry says what each board needs (board.ts); `reachBoard` (generated
// C) and `reachRuntime` (model blob) match the two, and `chooseBoard` words why the app used another board
// than deploy.target. Environments are assembled by the callers (pipeline/*.node.ts, src/ui/state) and hold
// no target names.
import type { CodegenModel } from '../codegen/types';
import type { SampleReport } from '../evaluation/evaluator';
import type { ByteTransport } from '../evaluation/transport';
import type { LongWidth } from '../layers/shared/fixed-point';
import type { BoardKind } from './board';
import type { LinuxEvaluation, TestVectors } from './targets/linux-compare';
import type { BuildOutput, Toolchain } from './toolchain';
import { toolchainKinds, type ToolchainKind } from './toolchains';
import { transportKinds, type TransportKind } from './transports';

/** The host C compiler of a `host` build (Linux): compiles and runs the harness in the workspace. */
export interface HostCompiler {
  readonly kind: 'host-cc';
  /** The compiler program (`cc`, or $CC). */
  readonly cc: string;
}

export type EnvironmentToolchains = { 'host-cc'?: HostCompiler } & { [K in Exclude<ToolchainKind, 'host-cc'>]?: Toolchain };

/** A board reached over a byte stream, ready for the evaluator; `stop` closes it (and ends an emulator). */
export interface OpenedBoard {
  transport: ByteTransport & { readonly isClosed: boolean };
  /** Exact instructions per inference counted outside the firmware (the QEMU plugin); read after stop. */
  instructionCounts?(): Promise<number[]>;
  /** Estimated cycles per inference from the same plugin where the board has a cycle model; read after stop. */
  cycleEstimates?(): Promise<number[]>;
  stop(): Promise<void>;
}

export interface OpenBoardInput {
  board: BoardKind;
  build: BuildOutput;
  /** deploy.deployer.params and deploy.evaluator.params, validated against the board's schemas. */
  deployer: Record<string, unknown>;
  evaluator: Record<string, unknown>;
  signal?: AbortSignal;
}

export interface StreamConnector {
  readonly kind: Exclude<TransportKind, 'process'>;
  open(input: OpenBoardInput): Promise<OpenedBoard>;
}

/** Runs a host executable over a file of raw vectors (the `process` transport of a host build). */
export interface BatchRunner {
  readonly kind: 'process';
  /** Builds `dir` (absolute, model.c + harness.c) with `compiler`, runs it over `inputs`, returns its raw outputs. */
  run(input: { dir: string; compiler: HostCompiler; inputs: Uint8Array; signal?: AbortSignal }): Promise<Uint8Array>;
  /** Model-only ROM/RAM of `dir`'s model.c for this host. */
  size(input: { dir: string; compiler: HostCompiler }): Promise<{ rom: number; ram: number }>;
}

/** What a runtime executor is given: the board (its `runtime` set), the blob prepare_deploy wrote, the vectors. */
export interface RuntimeRunInput {
  board: BoardKind;
  /** The model blob (model.mtb), in the layout of board.runtime.dialect. */
  blob: Uint8Array;
  /** The fixed-point model the blob encodes: the integer reference the outputs are checked against. */
  model: CodegenModel & { format: 'int8' | 'int16' };
  test: TestVectors;
  longWidth?: LongWidth;
  /** deploy.deployer.params and deploy.evaluator.params, validated against the board's schemas. */
  deployer: Record<string, unknown>;
  evaluator: Record<string, unknown>;
  /** This environment's connectors: an executor for a board on a byte stream (QEMU, a serial port) opens it through one. */
  transports: BoardEnvironment['transports'];
  log: (line: string) => void;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** A runtime-route evaluation: outputs compared with the integer reference, the blob's size and arena, its CRC. */
export interface RuntimeEvaluation extends LinuxEvaluation {
  /** The blob's CRC-32 as the runtime read it (the model hash). */
  model_crc: number;
  instructions_per_inference?: number;
  estimated_cycles_per_inference?: number;
  cycles_per_inference?: number;
  avg_latency_us?: number;
  /** The protocol-v1 report where the runtime was reached over the protocol (a board on a byte stream). */
  report?: SampleReport;
}

/** Runs a board's prebuilt Mote Runtime image on a model blob, through one transport kind. */
export interface RuntimeExecutor {
  readonly kind: TransportKind;
  evaluate(input: RuntimeRunInput): Promise<RuntimeEvaluation>;
}

/**
 * The runtime-route executors a place has, keyed by transport kind: e.g. Node's `'wasm-thread'` (the wasm
 * image in this thread) and the app's `'wasm-worker'` (in the board worker). A board's `transports` order
 * picks among them, as for the generated-C route's connectors.
 */
export type RuntimeExecutors = { readonly [K in TransportKind]?: RuntimeExecutor };

export interface BoardEnvironment {
  readonly where: 'node' | 'browser';
  readonly toolchains: EnvironmentToolchains;
  readonly transports: { process?: BatchRunner } & { [K in Exclude<TransportKind, 'process'>]?: StreamConnector };
  /** Runtime-route executors (converter MoteRuntime); absent: this place runs the generated-C route only. */
  readonly runtimes?: RuntimeExecutors;
}

export type ReachedBoard =
  | { ok: true; board: BoardKind; toolchain: Toolchain | HostCompiler; transport: StreamConnector | BatchRunner }
  | { ok: false; board: BoardKind; reason: string };

/** The first toolchain and transport the board accepts that this environment has, or why there is none. */
export function reachBoard(board: BoardKind, env: BoardEnvironment): ReachedBoard {
  const toolchainKind = board.build.toolchains.find((kind) => env.toolchains[kind] !== undefined);
  const transportKind = board.transports.find((kind) => env.transports[kind] !== undefined);
  const where = env.where === 'node' ? 'on this computer' : 'in this browser';
  if (!toolchainKind) {
    const needs = board.build.toolchains.map((kind) => `${kind} (${toolchainKinds[kind].needs})`).join(' or ');
    return { ok: false, board, reason: `${board.kind} builds with ${needs}, and none is available ${where}` };
  }
  if (!transportKind) {
    const ways = board.transports.map((kind) => `${kind} (${transportKinds[kind].summary})`).join(' or ');
    return { ok: false, board, reason: `${board.kind} is reached through ${ways}, and none is available ${where}` };
  }
  return { ok: true, board, toolchain: env.toolchains[toolchainKind]!, transport: env.transports[transportKind]! };
}

/** A board reached for the runtime route: the executor that runs its image, or why there is none. */
export type ReachedRuntime =
  | { ok: true; route: 'runtime'; board: BoardKind; executor: RuntimeExecutor }
  | { ok: false; board: BoardKind; reason: string };

/** The first of the board's transports this environment has a runtime executor for, or why there is none. */
export function reachRuntime(board: BoardKind, env: BoardEnvironment): ReachedRuntime {
  const where = env.where === 'node' ? 'on this computer' : 'in this browser';
  if (!board.runtime) return { ok: false, board, reason: `target ${board.kind} (${board.title}) has no Mote Runtime image, so converter MoteRuntime cannot run on it; use converter.kind = "QualiaCodeGen" (generated C) for ${board.kind}` };
  const kind = board.transports.find((k) => env.runtimes?.[k] !== undefined);
  if (!kind) {
    const ways = board.transports.map((k) => `${k} (${transportKinds[k].summary})`).join(' or ');
    return { ok: false, board, reason: `${board.kind} runs the Mote Runtime through ${ways}, and none of them can run it ${where}` };
  }
  return { ok: true, route: 'runtime', board, executor: env.runtimes![kind]! };
}

type Reached = (ReachedBoard | ReachedRuntime) & { ok: true };
type Unreached = (ReachedBoard | ReachedRuntime) & { ok: false };

/**
 * The board to evaluate on: deploy.target when this environment reaches it, otherwise `fallback` (the
 * app's Wasm board) with the sentence that says so. Never a silent switch: `notice` is set whenever the
 * board used is not the one the experiment names. `route` 'runtime' reaches the boards' runtime images
 * (converter MoteRuntime) instead of their toolchains.
 */
export function chooseBoard(target: BoardKind, env: BoardEnvironment, fallback?: BoardKind): { reached: ReachedBoard & { ok: true }; notice?: string } | { reached: ReachedBoard & { ok: false } };
export function chooseBoard(target: BoardKind, env: BoardEnvironment, fallback: BoardKind | undefined, route: 'generated-c' | 'runtime'): { reached: Reached; notice?: string } | { reached: Unreached };
export function chooseBoard(target: BoardKind, env: BoardEnvironment, fallback?: BoardKind, route: 'generated-c' | 'runtime' = 'generated-c'): { reached: Reached; notice?: string } | { reached: Unreached } {
  const reach = route === 'runtime' ? reachRuntime : reachBoard;
  const reached = reach(target, env);
  if (reached.ok || !fallback || fallback === target) return { reached } as never;
  const other = reach(fallback, env);
  if (!other.ok) return { reached };
  return { reached: other, notice: `used board ${fallback.kind} because deploy.target ${target.kind} cannot run here: ${reached.reason}` };
}
