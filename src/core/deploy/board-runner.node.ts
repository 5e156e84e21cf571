// Deploy-and-evaluate for the board targets in Node (CLI, tests, bench): build the firmware, start or open
// the board, run the evaluator, and report Qualia-style sizes. The pipeline calls this with test vectors it
// already shuffled/augmented/limited and with the codegen interpreter as reference.
import { ConfigError } from '../base/errors';
import { evaluateOnBoard, type EvaluationReport } from '../evaluation/evaluator';
import { evaluateQualiaBoard, type QualiaEvaluationReport } from '../evaluation/protocol-qualia';
import type { RawVector } from '../evaluation/protocol-v1';
import { openSerialDevice } from '../evaluation/transport-serial.node';
import { firmwareSize, parseElf, type FirmwareSize } from './elf';
import type { EvaluationProtocol, FirmwareBuildRequest, OptimizationLevel } from './firmware-build';
import { startVirtualCortexM4 } from './qemu.node';
import { createLocalToolchain } from './toolchain-local.node';
import type { BuildOutput, Toolchain } from './toolchain';
import { startWasmBoard } from './wasm-board';

export type BoardTargetName = 'VirtualCortexM4' | 'NucleoL452REP' | 'Wasm';

export interface BoardEvaluationInput {
  target: BoardTargetName;
  /** Generated model files (docs/codegen-abi.md) by relative path. */
  modelFiles: Record<string, string>;
  /** deploy.deployer.params and deploy.evaluator.params, already validated against the target's schemas. */
  deployerParams?: { optimize?: OptimizationLevel; core_clock_48mhz?: boolean };
  evaluatorParams?: { dev?: string; baudrate?: number; timeout?: number; exact_instructions?: boolean; protocol?: EvaluationProtocol };
  /** Raw vectors in the model's number format (protocol v1). */
  vectors: RawVector[];
  /** The same vectors as floats, for Qualia's text protocol (the board quantizes them itself). */
  floatVectors?: ArrayLike<number>[];
  labels?: ArrayLike<number>;
  reference: (vector: RawVector, index: number) => RawVector | ArrayLike<number> | Promise<RawVector | ArrayLike<number>>;
  expectedModelHash?: number;
  toolchain?: Toolchain;
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
  /** Exact instructions per inference from the QEMU plugin (VirtualCortexM4 with exact_instructions). */
  instructions_per_inference?: number;
  instruction_counts?: number[];
}

const boards = { VirtualCortexM4: 'virtual-cortex-m4', NucleoL452REP: 'nucleo-l452rep', Wasm: 'wasm' } as const;

export async function deployAndEvaluateBoard(input: BoardEvaluationInput): Promise<BoardEvaluationResult> {
  const evaluator = input.evaluatorParams ?? {};
  const protocol = evaluator.protocol ?? 'mote-v1';
  if (protocol === 'qualia' && (!input.floatVectors || !input.labels)) {
    throw new ConfigError("deploy.evaluator.params.protocol = 'qualia' needs float test vectors and labels (Qualia's text protocol sends floats)");
  }
  const request: FirmwareBuildRequest = {
    board: boards[input.target],
    modelFiles: input.modelFiles,
    options: {
      protocol,
      optimize: input.deployerParams?.optimize,
      coreClock48MHz: input.deployerParams?.core_clock_48mhz,
      baudrate: input.target === 'NucleoL452REP' ? evaluator.baudrate ?? 921600 : undefined,
    },
  };
  const build = await (input.toolchain ?? createLocalToolchain()).build(request, { signal: input.signal });
  const elf = build.files['firmware.elf'];
  const size = elf ? firmwareSize(parseElf(elf)) : undefined;
  const timeoutMs = (evaluator.timeout ?? 30) * 1000;

  const run = async (transport: Parameters<typeof evaluateOnBoard>[0]['transport']) => {
    if (protocol === 'qualia') {
      return { qualiaReport: await evaluateQualiaBoard({ transport, vectors: input.floatVectors!, labels: input.labels!, timeout: evaluator.timeout, signal: input.signal, onProgress: input.onProgress }) };
    }
    return {
      report: await evaluateOnBoard({
        transport, vectors: input.vectors, labels: input.labels, reference: input.reference, expectedModelHash: input.expectedModelHash,
        frameTimeoutMs: timeoutMs, signal: input.signal, onProgress: input.onProgress && ((p) => input.onProgress!(p.done, p.total)),
      }),
    };
  };

  if (input.target === 'Wasm') {
    const board = await startWasmBoard(build.files['firmware.wasm']);
    try { return { build, size, ...(await run(board.transport)) }; } finally { await board.stop(); }
  }
  if (input.target === 'VirtualCortexM4') {
    const exact = evaluator.exact_instructions ?? true;
    const board = await startVirtualCortexM4(elf, { exactInstructions: exact });
    let result;
    try {
      result = await run(board.transport);
    } finally {
      await board.stop();
    }
    const counts = await board.instructionCounts();
    return {
      build, size, ...result,
      instruction_counts: exact ? counts : undefined,
      instructions_per_inference: exact && counts.length ? counts.reduce((a, b) => a + b, 0) / counts.length : result.report?.instructions_per_inference,
    };
  }
  const port = await openSerialDevice(evaluator.dev ?? '/dev/ttyUSB0', evaluator.baudrate ?? 921600, { timeoutMs });
  try {
    return { build, size, ...(await run(port)) };
  } finally {
    await port.close();
  }
}
