// Comlink entry point: the Wasm virtual board. Compiles the generated C with the firmware's evaluation loop
// to wasm32 (@yowasp/clang, loaded on first use), starts the board in this worker and evaluates the test
// vectors over protocol v1 against the TypeScript reference. Keeps the compiler and the board off the page.
import * as Comlink from 'comlink';
import { createWasmToolchain } from '../core/deploy/toolchain';
import { startWasmBoard } from '../core/deploy/wasm-board';
import { evaluateOnBoard, type EvaluationReport } from '../core/evaluation/evaluator';
import type { RawVector } from '../core/evaluation/protocol-v1';

export interface BoardJob {
  modelFiles: Record<string, string>;
  vectors: RawVector[];
  labels: Int32Array;
  /** Reference outputs, `outputSize` per vector (raw integers, or floats for float32). */
  reference: Int32Array | Float32Array;
  outputSize: number;
  expectedModelHash?: number;
}

export interface BoardOutcome {
  report: EvaluationReport;
  firmware: Uint8Array;
  buildLog: string;
  buildMs: number;
}

let controller: AbortController | undefined;
const toolchain = createWasmToolchain();

const api = {
  async evaluate(job: BoardJob, onProgress?: (phase: 'build' | 'evaluate', done: number, total: number) => void): Promise<BoardOutcome> {
    controller = new AbortController();
    const signal = controller.signal;
    onProgress?.('build', 0, 1);
    const build = await toolchain.build({ board: 'wasm', modelFiles: job.modelFiles, options: { protocol: 'mote-v1' } }, { signal });
    const firmware = build.files['firmware.wasm'];
    const board = await startWasmBoard(firmware);
    try {
      const report = await evaluateOnBoard({
        transport: board.transport, vectors: job.vectors, labels: job.labels, expectedModelHash: job.expectedModelHash, signal,
        reference: (_vector, index) => job.reference.subarray(index * job.outputSize, (index + 1) * job.outputSize),
        onProgress: (p) => onProgress?.('evaluate', p.done, p.total),
      });
      return Comlink.transfer({ report, firmware, buildLog: build.log, buildMs: build.durationMs }, [firmware.buffer as ArrayBuffer]);
    } finally {
      await board.stop();
      controller = undefined;
    }
  },

  cancel(): void {
    controller?.abort();
  },
};

export type BoardWorkerApi = typeof api;
Comlink.expose(api);
