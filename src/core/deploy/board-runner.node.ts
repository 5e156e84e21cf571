// Deploy-and-evaluate of one generated model on a firmware board from Node (tests, bench, scripts): the
// board from the registry, reached through Node's environment (environment.node.ts), evaluated by the one
// evaluateFirmware. The pipeline goes through the same path (pipeline/evaluate.ts).
import { ConfigError, UnsupportedError } from '../base/errors';
import { parseOrThrow } from '../base/schema';
import type { RawVector } from '../evaluation/protocol-v1';
import { reachBoard, type StreamConnector } from './environment';
import { nodeBoardEnvironment } from './environment.node';
import { evaluateFirmware, type BoardEvaluationResult } from './evaluate-firmware';
import { boardOf } from './registry';
import type { Toolchain } from './toolchain';

export type { BoardEvaluationResult };

export interface BoardEvaluationInput {
  /** A deploy.target whose board builds firmware (registry.ts). */
  target: string;
  /** Generated model files (docs/codegen-abi.md) by relative path. */
  modelFiles: Record<string, string>;
  /** deploy.deployer.params and deploy.evaluator.params as written in a config; validated here. */
  deployerParams?: Record<string, unknown>;
  evaluatorParams?: Record<string, unknown>;
  vectors: RawVector[];
  floatVectors?: ArrayLike<number>[];
  labels?: ArrayLike<number>;
  reference: (vector: RawVector, index: number) => RawVector | ArrayLike<number> | Promise<RawVector | ArrayLike<number>>;
  expectedModelHash?: number;
  /** Build with this toolchain instead of the first one Node offers. */
  toolchain?: Toolchain;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export async function deployAndEvaluateBoard(input: BoardEvaluationInput): Promise<BoardEvaluationResult> {
  const board = boardOf(input.target);
  if (board.build.kind !== 'firmware') throw new ConfigError(`deploy.target ${board.kind} builds no firmware; evaluate it with 'mote CONFIG.toml deploy_and_evaluate'`);
  const reached = reachBoard(board, nodeBoardEnvironment());
  if (!reached.ok) throw new UnsupportedError(reached.reason);
  return evaluateFirmware({
    board,
    toolchain: input.toolchain ?? (reached.toolchain as Toolchain),
    connector: reached.transport as StreamConnector,
    modelFiles: input.modelFiles,
    deployer: parseOrThrow(board.params, input.deployerParams ?? {}, 'deploy.deployer.params') as Record<string, unknown>,
    evaluator: parseOrThrow(board.evaluatorParams, input.evaluatorParams ?? {}, 'deploy.evaluator.params') as Record<string, unknown>,
    vectors: input.vectors, floatVectors: input.floatVectors, labels: input.labels, reference: input.reference,
    expectedModelHash: input.expectedModelHash, onProgress: input.onProgress, signal: input.signal,
  });
}
