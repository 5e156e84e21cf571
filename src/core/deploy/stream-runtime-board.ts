// The runtime route on a board reached over a byte stream by one of the environment's connectors — a
// physical board on a serial port (`serial` in Node, `webserial` in the app): the board already runs its
// Mote Runtime (installed once, BoardInstall), so nothing is built or flashed; the connector opens the
// link, the model blob goes over it (evaluation/model-load.ts, protocol 2), then the ordinary protocol
// evaluation runs, checked against the integer reference. The fit check (runtime-fit.ts) has already run.
import { RuntimeImageError } from '../runtime/wasm-runtime';
import { TransportError } from '../evaluation/transport';
import type { RuntimeExecutor } from './environment';
import { loadAndEvaluateOverLink } from './runtime-link';
import { linkFailure } from './serial-failures';
import type { TransportKind } from './transports';

/** The runtime-route executor for boards reached through the environment's `kind` connector. */
export function streamRuntimeExecutor(kind: Exclude<TransportKind, 'process'>): RuntimeExecutor {
  return {
    kind,
    async evaluate({ board, blob, model, test, longWidth, deployer, evaluator, transports, onProgress, signal, log }) {
      if (!board.runtime) throw new RuntimeImageError(`${board.kind} declares no Mote Runtime image`);
      const connector = transports[kind];
      if (!connector) throw new RuntimeImageError(`this environment cannot open ${board.kind}'s ${kind} link`);
      const timeoutMs = board.timeoutSeconds(evaluator as never) * 1000;
      const opened = await connector.open({ board, build: { files: {}, log: '', durationMs: 0 }, deployer, evaluator, signal });
      try {
        const { loaded, report, row } = await loadAndEvaluateOverLink({ transport: opened.transport, model, test, blob, longWidth, frameTimeoutMs: timeoutMs, signal, onProgress }).catch((error: unknown) => {
          // The link went away or went quiet once open (unplugged, reset, another program on the port): say
          // what to do, and that this attempt left no row (a refusal or a mismatch keeps its own words).
          if (!(error instanceof TransportError)) throw error;
          const failure = linkFailure(error, opened.transport.isClosed);
          const said = error.message.replace(/; reconnect and \w+ again\.?$/, '').replace(/[.?]$/, '');
          if (failure === 'none') {
            const serial = kind === 'serial' ? board.serial?.(evaluator as never) : undefined;
            const where = (opened.transport as { path?: string }).path ?? `the ${kind} link`;
            throw new TransportError(serial
              ? `${board.kind}: nothing on ${where} answered as a Mote Runtime (${said}): check that ${where} is the board's port (deploy.evaluator.params.dev), that the Mote Runtime is installed on it (mote flash ${board.kind}) and that the baud rate is ${serial.baudrate}; nothing was recorded`
              : `${board.kind}: the Mote Runtime on ${where} never answered (${said}); nothing was recorded`, { cause: error });
          }
          const lost = failure === 'lost' ? 'the board connection was lost' : 'the board stopped answering';
          throw new TransportError(`${board.kind}: ${lost}: ${said}. Plug the board back in (or close the other program using its port) and evaluate again; nothing from this attempt was recorded, earlier results are kept`, { cause: error });
        });
        log(`${board.kind}: model blob of ${blob.length} bytes loaded over the ${kind} link in ${loaded.elapsedMs} ms (${loaded.chunks} chunks)`);
        // Frames that arrived damaged (CRC) or not at all were sent again; say so, the results are still exact.
        if (loaded.retries || report.retries) log(`${board.kind}: ${loaded.retries + report.retries} frame(s) re-sent after damaged or lost bytes on the ${kind} link (${loaded.retries} while loading, ${report.retries} while evaluating); every result was checked against the reference`);
        return {
          ...row,
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
