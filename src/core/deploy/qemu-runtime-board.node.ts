// A QEMU virtual board on the runtime route: the board's prebuilt Mote Runtime image
// (runtime/prebuilt/mote-runtime-<board>.elf, scripts/build-runtime-images.mjs) started on its QEMU machine,
// the model sent as a blob over the emulated serial link (evaluation/model-load.ts), then the ordinary
// protocol evaluation. Nothing is compiled: the image is fixed, only the blob changes. Returns a results
// row: accuracy, bit-exactness against the integer reference, the blob as ROM and its arena as RAM, the
// instructions per inference (the QEMU plugin's exact count, else the board's own counter) and the load time.
import type { CodegenModel } from '../codegen/types';
import type { EvaluationReport } from '../evaluation/evaluator';
import type { LoadStatus } from '../evaluation/model-load';
import type { Dialect } from '../layers/facets/c';
import type { LongWidth } from '../layers/shared/fixed-point';
import { encodeModelBlob } from '../runtime/blob';
import { RuntimeImageError } from '../runtime/wasm-runtime';
import type { RuntimeExecutor } from './environment';
import type { QemuMachine } from './qemu-machine';
import { EmulatorError, startQemuBoard } from './qemu.node';
import { loadAndEvaluateOverLink } from './runtime-link';
import type { LinuxEvaluation, TestVectors } from './targets/linux-compare';

export interface QemuRuntimeEvaluation extends LinuxEvaluation {
  report: EvaluationReport;
  /** The blob's CRC-32, as the board reported it in HELLO (the model hash). */
  model_crc: number;
  board_id: string;
  counter_kind: string;
  /** Exact instructions per inference (plugin), else the firmware's counter mean. */
  instructions_per_inference?: number;
  instruction_counts: number[];
  /** The Cortex-M4 cycle table's estimate, where the machine has one and exact counts were asked for. */
  estimated_cycles_per_inference?: number;
  /** Wall time of the model load over the emulated link, and its chunks. */
  load_ms: number;
  load_chunks: number;
  runtime: LoadStatus;
}

export interface QemuRuntimeOptions {
  dialect: Dialect;
  /** The blob prepare_deploy wrote (in `dialect`'s layout); encoded from the model when absent. */
  blob?: Uint8Array;
  longWidth?: LongWidth;
  name?: string;
  exactInstructions?: boolean;
  chunkBytes?: number;
  frameTimeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/** Evaluates a fixed-point model on `machine` running the runtime image `image` (its bytes). */
export async function evaluateOnQemuRuntime(machine: QemuMachine, image: Uint8Array, model: CodegenModel, test: TestVectors, options: QemuRuntimeOptions): Promise<QemuRuntimeEvaluation> {
  if (model.format === 'float32') throw new RuntimeImageError('the Mote Runtime runs int8 and int16 models only; quantize the model (deploy.quantize = ["int8"]) or use the generated-C route for float32');
  const encoded = options.blob ? undefined : encodeModelBlob(model.quantized, { dialect: options.dialect, longWidth: options.longWidth, name: options.name?.replace(/[^\x20-\x7e]/g, '_').slice(0, 59) });
  const blob = options.blob ?? encoded!.bytes;
  const board = await startQemuBoard(machine, image, { exactInstructions: options.exactInstructions ?? true });
  try {
    const { loaded, report, row } = await loadAndEvaluateOverLink({
      transport: board.transport, model, test, blob, longWidth: options.longWidth, chunkBytes: options.chunkBytes,
      frameTimeoutMs: options.frameTimeoutMs, signal: options.signal, onProgress: options.onProgress,
    });
    await board.transport.close();
    await board.stop();
    const counts = await board.instructionCounts();
    const cycles = await board.cycleEstimates();
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    return {
      ...row,
      board_id: report.hello.boardId,
      counter_kind: report.counter_kind,
      instructions_per_inference: counts.length ? mean(counts) : report.instructions_per_inference,
      instruction_counts: counts,
      estimated_cycles_per_inference: cycles.length ? mean(cycles) : undefined,
      load_ms: loaded.elapsedMs,
      load_chunks: loaded.chunks,
      runtime: loaded.board,
      report,
    };
  } finally {
    await board.stop();
  }
}

/**
 * The runtime-route executor for boards on the `qemu` transport (VirtualCortexM4, VirtualRV32): the board's
 * QEMU machine runs its prebuilt image (`image` reads runtime/prebuilt/<file>), the blob is loaded over the
 * emulated UART, exact instructions come from the plugin when the board's evaluator params ask for them.
 */
export function qemuRuntimeExecutor(image: (file: string) => Promise<Uint8Array>): RuntimeExecutor {
  return {
    kind: 'qemu',
    async evaluate({ board, blob, model, test, longWidth, evaluator, onProgress, signal, log }) {
      if (!board.runtime) throw new RuntimeImageError(`${board.kind} declares no Mote Runtime image`);
      if (!board.qemu) throw new EmulatorError(`${board.kind} declares no QEMU machine, so the qemu transport cannot start its runtime image`);
      const row = await evaluateOnQemuRuntime(board.qemu, await image(board.runtime.image), model, test, {
        dialect: board.runtime.dialect, blob, longWidth, signal, onProgress,
        exactInstructions: board.exactInstructions?.(evaluator as never) ?? false,
        frameTimeoutMs: board.timeoutSeconds(evaluator as never) * 1000,
      });
      log(`${board.kind}: model blob of ${blob.length} bytes loaded over the emulated serial link in ${row.load_ms} ms (${row.load_chunks} chunks)`);
      return row;
    },
  };
}
