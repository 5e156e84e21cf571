// The runtime route on a board reached over a byte stream by one of the environment's connectors — a
// physical board on a serial port (`serial` in Node, `webserial` in the app): the board already runs its
// Mote Runtime (installed once, BoardInstall), so nothing is built or flashed; the connector opens the
// link, the model blob goes over it (evaluation/model-load.ts, protocol 2), then the ordinary protocol
// evaluation runs, checked against the integer reference. The fit check (runtime-fit.ts) has already run.
import { evaluateOnBoard } from '../evaluation/evaluator';
import { loadModelOnBoard } from '../evaluation/model-load';
import type { RawVector } from '../evaluation/protocol-v1';
import { countMacs, sizeOf } from '../models/shapes';
import { RuntimeImageError } from '../runtime/wasm-runtime';
import type { RuntimeExecutor } from './environment';
import type { TransportKind } from './transports';
import { compareOutputs, encodeInputs, referenceOutputs } from './targets/linux-compare';

/** The runtime-route executor for boards reached through the environment's `kind` connector. */
export function streamRuntimeExecutor(kind: Exclude<TransportKind, 'process'>): RuntimeExecutor {
  return {
    kind,
    async evaluate({ board, blob, model, test, longWidth, deployer, evaluator, transports, onProgress, signal, log }) {
      if (!board.runtime) throw new RuntimeImageError(`${board.kind} declares no Mote Runtime image`);
      const connector = transports[kind];
      if (!connector) throw new RuntimeImageError(`this environment cannot open ${board.kind}'s ${kind} link`);
      const graph = model.quantized.graph;
      const inputSize = sizeOf(graph.shapes[graph.layers[0].name]);
      const outputSize = sizeOf(graph.shapes[graph.layers[graph.layers.length - 1].name]);
      const raw = encodeInputs(model, test, inputSize);
      const width = model.format === 'int8' ? 1 : 2;
      const vectors: RawVector[] = Array.from({ length: test.count }, (_, i) => {
        const bytes = raw.slice(i * inputSize * width, (i + 1) * inputSize * width);
        return width === 1 ? new Int8Array(bytes.buffer) : new Int16Array(bytes.buffer);
      });
      const reference = referenceOutputs(model, test, { longWidth });
      const crc = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(blob.length - 4, true);
      const timeoutMs = board.timeoutSeconds(evaluator as never) * 1000;
      const opened = await connector.open({ board, build: { files: {}, log: '', durationMs: 0 }, deployer, evaluator, signal });
      try {
        const loaded = await loadModelOnBoard({ transport: opened.transport, blob, frameTimeoutMs: timeoutMs, signal });
        log(`${board.kind}: model blob of ${blob.length} bytes loaded over the ${kind} link in ${loaded.elapsedMs} ms (${loaded.chunks} chunks)`);
        const report = await evaluateOnBoard({
          transport: opened.transport, vectors, labels: test.labels, hello: loaded.hello, expectedModelHash: crc,
          reference: (_v, i) => reference.subarray(i * outputSize, (i + 1) * outputSize),
          frameTimeoutMs: timeoutMs, signal, onProgress: onProgress && ((p) => onProgress(p.done, p.total)),
        });
        const target = new Int32Array(test.count * outputSize);
        for (const row of report.rows) target.set(row.outputs, row.index * outputSize);
        return {
          ...compareOutputs(model.format, target, reference, test.labels, test.count, outputSize),
          rom_bytes: blob.length,
          ram_bytes: new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(36, true) * (blob[12] / 8),
          macs: countMacs(graph),
          model_crc: report.hello.modelHash,
          ...(report.counter_kind === 'cycles' && report.cycles_per_inference !== undefined ? { cycles_per_inference: report.cycles_per_inference } : {}),
          ...(report.avg_latency_us !== undefined ? { avg_latency_us: report.avg_latency_us } : {}),
          report,
        };
      } finally {
        await opened.stop();
      }
    },
  };
}
