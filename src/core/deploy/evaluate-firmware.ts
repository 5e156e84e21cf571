// Deploy-and-evaluate of one generated model on a firmware board, wherever it runs: build the firmware with
// the toolchain the environment offers, open the board through its transport, run the evaluator (Mote's
// protocol v1, or Qualia's text protocol) and report sizes and counters as the board declares them. The
// pipeline calls this with test vectors it already shuffled/augmented/limited and with the codegen
// interpreter as reference. No board is named here: everything comes from the board's declaration.
import { ConfigError } from '../base/errors';
import { evaluateOnBoard, type EvaluationReport } from '../evaluation/evaluator';
import { evaluateQualiaBoard, type QualiaEvaluationReport } from '../evaluation/protocol-qualia';
import type { RawVector } from '../evaluation/protocol-v1';
import type { BoardKind, FirmwareBuild } from './board';
import { firmwareSize, parseElf, type FirmwareSize } from './elf';
import type { OpenedBoard, StreamConnector } from './environment';
import type { BuildOutput, Toolchain } from './toolchain';

export interface FirmwareEvaluationInput {
  board: BoardKind;
  toolchain: Toolchain;
  connector: StreamConnector;
  /** Generated model files (docs/codegen-abi.md) by relative path. */
  modelFiles: Record<string, string>;
  /** deploy.deployer.params and deploy.evaluator.params, validated against the board's schemas. */
  deployer: Record<string, unknown>;
  evaluator: Record<string, unknown>;
  /** Raw vectors in the model's number format (protocol v1). */
  vectors: RawVector[];
  /** The same vectors as floats, for Qualia's text protocol (the board quantizes them itself). */
  floatVectors?: ArrayLike<number>[];
  labels?: ArrayLike<number>;
  reference: (vector: RawVector, index: number) => RawVector | ArrayLike<number> | Promise<RawVector | ArrayLike<number>>;
  expectedModelHash?: number;
  onBuild?: () => void;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface BoardEvaluationResult {
  build: BuildOutput;
  size?: FirmwareSize;
  /** Protocol v1 report (bit-exactness, agreement, counters). */
  report?: EvaluationReport;
  /** Qualia-protocol report (accuracy and latency only: the text protocol carries no raw outputs). */
  qualiaReport?: QualiaEvaluationReport;
  /** Exact instructions per inference counted outside the firmware (QEMU plugin), else the board's own counter. */
  instructions_per_inference?: number;
  instruction_counts?: number[];
  /** Mean estimated cycles per inference (bench/cortex-m4-cycles.md), where the board has a cycle model. */
  estimated_cycles_per_inference?: number;
}

export async function evaluateFirmware(input: FirmwareEvaluationInput): Promise<BoardEvaluationResult> {
  const { board, evaluator, deployer } = input;
  const build = board.build as FirmwareBuild<unknown, unknown>;
  const protocol = board.protocol?.(evaluator as never) ?? 'mote-v1';
  if (protocol === 'qualia' && (!input.floatVectors || !input.labels)) {
    throw new ConfigError("deploy.evaluator.params.protocol = 'qualia' needs float test vectors and labels (Qualia's text protocol sends floats)");
  }
  input.onBuild?.();
  const linked = await input.toolchain.build({ board: build.firmware, modelFiles: input.modelFiles, options: build.options(deployer, evaluator) }, { signal: input.signal });
  const output = build.package ? await build.package(linked) : linked;
  const elf = output.files['firmware.elf'];
  const size = board.reports.size === 'elf' && elf ? firmwareSize(parseElf(elf)) : undefined;
  const timeout = board.timeoutSeconds(evaluator as never);

  const opened: OpenedBoard = await input.connector.open({ board, build: output, deployer, evaluator, signal: input.signal });
  let result: { report?: EvaluationReport; qualiaReport?: QualiaEvaluationReport };
  try {
    result = protocol === 'qualia'
      ? { qualiaReport: await evaluateQualiaBoard({ transport: opened.transport, vectors: input.floatVectors!, labels: input.labels!, timeout, signal: input.signal, onProgress: input.onProgress }) }
      : {
          report: await evaluateOnBoard({
            transport: opened.transport, vectors: input.vectors, labels: input.labels, reference: input.reference, expectedModelHash: input.expectedModelHash,
            frameTimeoutMs: timeout * 1000, signal: input.signal, onProgress: input.onProgress && ((p) => input.onProgress!(p.done, p.total)),
          }),
        };
  } finally {
    await opened.stop();
  }
  const counts = (await opened.instructionCounts?.()) ?? [];
  const cycles = (await opened.cycleEstimates?.()) ?? [];
  return {
    build: output, size, ...result,
    instruction_counts: opened.instructionCounts ? counts : undefined,
    instructions_per_inference: counts.length ? counts.reduce((a, b) => a + b, 0) / counts.length : result.report?.instructions_per_inference,
    estimated_cycles_per_inference: cycles.length ? cycles.reduce((a, b) => a + b, 0) / cycles.length : undefined,
  };
}
