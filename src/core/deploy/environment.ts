// What a place that runs Mote (Node for the CLI and tests, the browser for the app) offers to the boards:
// the toolchains it can build with and a connector per transport it can open. The board registry says
// what each board needs (board.ts); `reachBoard` matches the two, and `explainFallback` words why the app
// used another board than deploy.target. Environments are assembled by the callers (pipeline/*.node.ts,
// src/ui/state) and hold no target names.
import type { ByteTransport } from '../evaluation/transport';
import type { BoardKind } from './board';
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

export interface BoardEnvironment {
  readonly where: 'node' | 'browser';
  readonly toolchains: EnvironmentToolchains;
  readonly transports: { process?: BatchRunner } & { [K in Exclude<TransportKind, 'process'>]?: StreamConnector };
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

/**
 * The board to evaluate on: deploy.target when this environment reaches it, otherwise `fallback` (the
 * app's Wasm board) with the sentence that says so. Never a silent switch: `notice` is set whenever the
 * board used is not the one the experiment names.
 */
export function chooseBoard(target: BoardKind, env: BoardEnvironment, fallback?: BoardKind): { reached: ReachedBoard & { ok: true }; notice?: string } | { reached: ReachedBoard & { ok: false } } {
  const reached = reachBoard(target, env);
  if (reached.ok || !fallback || fallback === target) return { reached } as never;
  const other = reachBoard(fallback, env);
  if (!other.ok) return { reached };
  return { reached: other, notice: `used board ${fallback.kind} because deploy.target ${target.kind} cannot run here: ${reached.reason}` };
}
