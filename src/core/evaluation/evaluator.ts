// Evaluates a board speaking protocol v1: sends the test vectors in batches, checks every raw output
// against the TypeScript reference (the codegen integer interpreter, supplied by the caller), and reports
// accuracy, agreement, bit-exactness and the board's counter (cycles, instructions or µs). Survives a
// corrupted stream (CRC, timeouts → re-send), a board reset (new HELLO → re-send) and, with a reconnect
// callback, a dropped connection (continues from the last confirmed vector).
import { CancelledError, MoteError } from '../base/errors';
import {
  CounterKind, EVALUATED_PROTOCOL_VERSIONS, FrameDecoder, FrameType, decodeBoardError, decodeHello, decodeResult,
  describeBoardError, encodeFrame, encodeInfer, inferPayloadBytes, type Frame, type Hello, type RawVector,
} from './protocol-v1';
import { TransportError, type ByteTransport } from './transport';

export const SUPPORTED_ABI_VERSION = 1;

export interface EvaluationProgress {
  done: number;
  total: number;
  elapsedMs: number;
  /** Seconds left at the current pace; undefined until the first batch is confirmed. */
  etaSeconds?: number;
}

export interface EvaluatorOptions {
  transport: ByteTransport;
  /** Test vectors already quantized to the board's number format (channels_last, flattened). */
  vectors: RawVector[];
  /** Class index per vector (argmax of the one-hot label); omit for regression or unlabelled data. */
  labels?: ArrayLike<number>;
  /** The TypeScript reference: raw outputs of the same model for one raw input vector. */
  reference: (vector: RawVector, index: number) => RawVector | ArrayLike<number> | Promise<RawVector | ArrayLike<number>>;
  /** Refuse a board whose firmware was built for another model (MODEL_HASH of the generated code). */
  expectedModelHash?: number;
  /** Vectors per INFER frame; capped by the board's max_batch. */
  batchSize?: number;
  /** How long to wait for the next frame before re-sending (ms). */
  frameTimeoutMs?: number;
  /** How long to wait for HELLO after connecting, before asking for it again (ms). */
  helloTimeoutMs?: number;
  /** Re-sends of one batch (timeouts, board errors, resets) before giving up. */
  maxRetries?: number;
  /** Called when the transport closes mid-run; returns a fresh transport to the same board. */
  reconnect?: () => Promise<ByteTransport>;
  onProgress?: (progress: EvaluationProgress) => void;
  signal?: AbortSignal;
  /** Keep per-sample rows in the report (default true). */
  keepRows?: boolean;
  /**
   * The board's HELLO, already received on this transport (a model loader asked for it after loading):
   * the evaluation starts at once instead of waiting for one.
   */
  hello?: Hello;
}

export interface SampleRow {
  index: number;
  label?: number;
  predicted: number;
  referencePredicted: number;
  bitExact: boolean;
  counter: number;
  outputs: number[];
  reference: number[];
}

export interface EvaluationReport {
  n: number;
  /** Board predictions against labels; undefined without labels. */
  accuracy?: number;
  /** Reference predictions against labels. */
  reference_accuracy?: number;
  /** Fraction of vectors where board and reference predict the same class. */
  agreement: number;
  /** Every raw output of every vector equals the reference exactly. */
  bit_exact: boolean;
  mismatched_vectors: number;
  counter_kind: 'none' | 'cycles' | 'instructions' | 'microseconds';
  avg_latency_us?: number;
  instructions_per_inference?: number;
  cycles_per_inference?: number;
  hello: Hello;
  /** Re-sent batches, board resets seen, reconnections made. */
  retries: number;
  resets: number;
  reconnects: number;
  rows: SampleRow[];
}

/**
 * What the app's evaluation views read: an evaluation report, with a HELLO only where a protocol ran (the
 * runtime route on the Wasm board reads the outputs from the runtime's memory: no HELLO, no counter).
 */
export type SampleReport = Omit<EvaluationReport, 'hello'> & { hello?: Hello };

/** The board answered in a way that makes the evaluation meaningless (other model, other protocol). */
export class BoardMismatchError extends MoteError {}

export type Event = { kind: 'frame'; frame: Frame } | { kind: 'closed'; reason?: string } | { kind: 'timeout' };

/** Turns a transport into a pull-style stream of decoded frames with timeouts (also used by model-load.ts). */
export class FrameStream {
  private readonly decoder = new FrameDecoder();
  private readonly queue: Event[] = [];
  private waiter?: (event: Event) => void;
  private readonly unsubscribe: () => void;

  constructor(readonly transport: ByteTransport) {
    this.unsubscribe = transport.onData((chunk) => { for (const frame of this.decoder.push(chunk)) this.emit({ kind: 'frame', frame }); });
    transport.closed.then((closed) => this.emit({ kind: 'closed', reason: closed.reason }));
  }

  private emit(event: Event): void {
    if (this.waiter) { const w = this.waiter; this.waiter = undefined; w(event); } else this.queue.push(event);
  }

  next(timeoutMs: number, signal?: AbortSignal): Promise<Event> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => {
      const finish = (event: Event) => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); this.waiter = undefined; resolve(event); };
      const onAbort = () => finish({ kind: 'timeout' });
      const timer = setTimeout(() => { this.decoder.reset(); finish({ kind: 'timeout' }); }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = finish;
    });
  }

  send(type: number, seq: number, payload: Uint8Array): Promise<void> {
    return this.transport.write(encodeFrame(type, seq, payload));
  }

  dispose(): void {
    this.unsubscribe();
  }
}

function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function sameBits(a: ArrayLike<number>, b: ArrayLike<number>, format: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (format === 32) {
      if (Math.fround(a[i]) !== Math.fround(b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
    } else if (a[i] !== b[i]) return false;
  }
  return true;
}

function checkHello(hello: Hello, options: EvaluatorOptions): void {
  if (!EVALUATED_PROTOCOL_VERSIONS.includes(hello.protocolVersion)) {
    throw new BoardMismatchError(`the board speaks evaluation protocol v${hello.protocolVersion}, this Mote speaks v${EVALUATED_PROTOCOL_VERSIONS.join(' and v')}; rebuild the firmware with this version of Mote`);
  }
  if (hello.abiVersion !== SUPPORTED_ABI_VERSION) {
    throw new BoardMismatchError(`the firmware was generated with model ABI v${hello.abiVersion}, expected v${SUPPORTED_ABI_VERSION}; regenerate and reflash it`);
  }
  if (options.expectedModelHash !== undefined && hello.modelHash !== options.expectedModelHash >>> 0) {
    throw new BoardMismatchError(`the board runs model ${hello.modelName} with hash 0x${hello.modelHash.toString(16).padStart(8, '0')}, but this evaluation is for hash 0x${(options.expectedModelHash >>> 0).toString(16).padStart(8, '0')}; flash the firmware built for this model`);
  }
  const first = options.vectors[0];
  if (first && first.length !== hello.inputDims) {
    throw new BoardMismatchError(`test vectors have ${first.length} values but the board's model takes ${hello.inputDims}; check the dataset and the model`);
  }
}

/** Runs the evaluation; see EvaluatorOptions. Throws TransportError when the board stops answering. */
export async function evaluateOnBoard(options: EvaluatorOptions): Promise<EvaluationReport> {
  const frameTimeoutMs = options.frameTimeoutMs ?? 5_000;
  const helloTimeoutMs = options.helloTimeoutMs ?? 1_500;
  const maxRetries = options.maxRetries ?? 8;
  const total = options.vectors.length;
  const rows: (SampleRow | undefined)[] = new Array(total);
  let confirmed = 0;
  let retries = 0;
  let resets = 0;
  let reconnects = 0;
  let seq = 0;
  const started = Date.now();
  let stream = new FrameStream(options.transport);

  const checkCancelled = () => { if (options.signal?.aborted) throw new CancelledError('the evaluation was cancelled'); };

  const reconnect = async (reason?: string): Promise<void> => {
    if (!options.reconnect) throw new TransportError(`the connection to the board closed during the evaluation${reason ? ` (${reason})` : ''} after ${confirmed} of ${total} vectors`);
    stream.dispose();
    reconnects++;
    if (reconnects > maxRetries) throw new TransportError(`the board connection dropped ${reconnects} times; giving up after ${confirmed} of ${total} vectors`);
    stream = new FrameStream(await options.reconnect());
  };

  const waitHello = async (): Promise<Hello> => {
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      checkCancelled();
      const deadline = Date.now() + helloTimeoutMs;
      while (Date.now() < deadline) {
        const event = await stream.next(Math.max(1, deadline - Date.now()), options.signal);
        if (event.kind === 'closed') { await reconnect(event.reason); break; }
        if (event.kind === 'frame' && event.frame.type === FrameType.Hello) return decodeHello(event.frame.payload);
      }
      seq = (seq + 1) & 0xffff;
      await stream.send(FrameType.HelloRequest, seq, new Uint8Array(0)).catch(() => undefined);
    }
    throw new TransportError(`the board sent no HELLO after ${maxRetries + 1} requests; is evaluation firmware running on it and is the baud rate right?`);
  };

  let hello = options.hello ?? await waitHello();
  checkHello(hello, options);
  const format = hello.numberFormat;
  const maxPayload = 0xffff;
  const perBatch = Math.max(1, Math.min(options.batchSize ?? 16, hello.maxBatch, Math.floor((maxPayload - 8) / Math.max(1, hello.inputDims * (format / 8)))));
  if (inferPayloadBytes(1, hello.inputDims, format) > maxPayload) {
    throw new BoardMismatchError(`one input vector (${hello.inputDims} values) does not fit a protocol v1 frame`);
  }

  const received = new Map<number, { counter: number; outputs: RawVector }>();
  let batchRetries = 0;

  while (confirmed < total) {
    checkCancelled();
    const first = confirmed;
    const count = Math.min(perBatch, total - first);
    seq = (seq + 1) & 0xffff;
    const requestSeq = seq;
    const payload = encodeInfer({ firstIndex: first, vectors: options.vectors.slice(first, first + count) }, hello.inputDims, format);
    try {
      await stream.send(FrameType.Infer, requestSeq, payload);
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      await reconnect(error.message);
      hello = await waitHello();
      checkHello(hello, options);
      continue;
    }
    let resend = false;
    while (!resend) {
      const event = await stream.next(frameTimeoutMs, options.signal);
      checkCancelled();
      if (event.kind === 'timeout') { resend = true; break; }
      if (event.kind === 'closed') {
        await reconnect(event.reason);
        hello = await waitHello();
        checkHello(hello, options);
        resend = true;
        break;
      }
      const frame = event.frame;
      if (frame.type === FrameType.Hello) {
        // The board rebooted (watchdog, brown-out, a user pressing reset): whatever it had not sent is lost.
        hello = decodeHello(frame.payload);
        checkHello(hello, options);
        resets++;
        resend = true;
        break;
      }
      if (frame.type === FrameType.Error) {
        const boardError = decodeBoardError(frame.payload);
        if (frame.seq !== requestSeq && boardError.code !== 1) continue;
        if (boardError.code === 2 || boardError.code === 3) {
          throw new BoardMismatchError(`the board refused a batch: ${describeBoardError(boardError)}`);
        }
        resend = true;
        break;
      }
      if (frame.type !== FrameType.Result || frame.seq !== requestSeq) continue;
      let result;
      try {
        result = decodeResult(frame.payload, hello.outputDims, format);
      } catch {
        continue; // a well-framed but malformed result is never taken; the batch will be re-sent
      }
      if (result.index < first || result.index >= first + count || received.has(result.index)) continue;
      received.set(result.index, { counter: result.counter, outputs: result.outputs });
      if (received.size === count) break;
      // The board answers in order: once the batch's last result is in, the missing ones were lost on the
      // way; re-send now rather than after a timeout.
      if (result.index === first + count - 1) { resend = true; break; }
    }
    // Confirm the longest prefix received, so a resume restarts right after it.
    while (received.has(confirmed)) {
      const got = received.get(confirmed)!;
      received.delete(confirmed);
      rows[confirmed] = await makeRow(confirmed, got.counter, got.outputs);
      confirmed++;
    }
    received.clear();
    if (confirmed > first) batchRetries = 0;
    if (resend) {
      retries++;
      batchRetries++;
      if (batchRetries > maxRetries) {
        throw new TransportError(`the board did not answer vectors ${confirmed}…${Math.min(total, confirmed + perBatch) - 1} after ${maxRetries} re-sends; check the connection and the firmware`);
      }
    }
    const elapsedMs = Date.now() - started;
    options.onProgress?.({ done: confirmed, total, elapsedMs, etaSeconds: confirmed > 0 ? ((elapsedMs / confirmed) * (total - confirmed)) / 1000 : undefined });
  }
  stream.dispose();

  async function makeRow(index: number, counter: number, outputs: RawVector): Promise<SampleRow> {
    const reference = Array.from(await options.reference(options.vectors[index], index));
    const out = Array.from(outputs);
    return {
      index,
      label: options.labels ? options.labels[index] : undefined,
      predicted: argmax(out),
      referencePredicted: argmax(reference),
      bitExact: sameBits(out, reference, format),
      counter,
      outputs: out,
      reference,
    };
  }

  const done = rows as SampleRow[];
  const n = done.length;
  const labelled = options.labels !== undefined;
  const mean = (f: (r: SampleRow) => number) => (n ? done.reduce((s, r) => s + f(r), 0) / n : 0);
  const counterMean = mean((r) => r.counter);
  const kind = hello.counterKind;
  return {
    n,
    accuracy: labelled ? mean((r) => (r.predicted === r.label ? 1 : 0)) : undefined,
    reference_accuracy: labelled ? mean((r) => (r.referencePredicted === r.label ? 1 : 0)) : undefined,
    agreement: mean((r) => (r.predicted === r.referencePredicted ? 1 : 0)),
    bit_exact: done.every((r) => r.bitExact),
    mismatched_vectors: done.filter((r) => !r.bitExact).length,
    counter_kind: kind === CounterKind.Cycles ? 'cycles' : kind === CounterKind.Instructions ? 'instructions' : kind === CounterKind.Microseconds ? 'microseconds' : 'none',
    avg_latency_us: kind === CounterKind.Microseconds ? counterMean : kind === CounterKind.Cycles && hello.clockHz ? (counterMean / hello.clockHz) * 1e6 : undefined,
    instructions_per_inference: kind === CounterKind.Instructions ? counterMean : undefined,
    cycles_per_inference: kind === CounterKind.Cycles ? counterMean : undefined,
    hello,
    retries,
    resets,
    reconnects,
    rows: options.keepRows === false ? [] : done,
  };
}
