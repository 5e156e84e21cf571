// Qualia's text evaluation protocol (qualia_core.evaluation.target.Qualia ↔ the Qualia-CodeGen Nucleo
// firmware), host side, so boards flashed with Qualia firmware — or Mote firmware built with
// -DMOTE_PROTOCOL_QUALIA — can be evaluated. Facts (docs/protocol.md §Qualia): the board prints
// "READY\r\n" once; per vector the host sends the values joined by ',' as Python prints float32 ("0.5",
// "1e-05"), ending "\r\n"; the board answers with the byte count it received, then
// "<i>,<label>,<score>,<µs>\r\n" (i 1-based, score the raw max output with six decimals).
import { CancelledError } from '../base/errors';
import { TransportError, type ByteTransport } from './transport';

export interface QualiaResult {
  /** 1-based inference counter from the board. */
  i: number;
  label: number;
  score: number;
  /** Elapsed microseconds reported by the board; undefined for old 3-field firmwares. */
  us?: number;
}

/**
 * Python's `str(numpy.float32(x))`: the shortest decimal that reads back as the same float32, positional
 * for 1e-4 ≤ |x| < 1e6 compared in double precision (always with a fractional part, "3.0"), scientific
 * otherwise ("1e-05", "1.2345679e+08"); checked against NumPy's own output in tests/samples/evaluation.
 */
export function formatPythonFloat32(value: number): string {
  const x = Math.fround(value);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  let digits = '';
  let exponent = 0;
  for (let precision = 1; precision <= 9; precision++) {
    const [mantissa, exp] = x.toExponential(precision - 1).split('e');
    if (Math.fround(Number(`${mantissa}e${exp}`)) === x) {
      digits = mantissa.replace('-', '').replace('.', '');
      exponent = Number(exp);
      break;
    }
  }
  digits = digits.replace(/0+$/, '') || '0';
  const sign = x < 0 ? '-' : '';
  const magnitude = Math.abs(x);
  if (magnitude >= 1e-4 && magnitude < 1e6) {
    const point = exponent + 1; // digits before the decimal point
    if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const expText = `${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  return `${sign}${mantissa}e${expText}`;
}

/** The line Qualia sends for one vector. */
export function formatQualiaVector(values: ArrayLike<number>): string {
  return Array.from(values, formatPythonFloat32).join(',') + '\r\n';
}

const UNSIGNED = /^\d{1,10}$/;
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * One result line, `i,label,score[,us]`, read strictly: the index, label and time are unsigned integers,
 * the score a finite decimal. A hostile or confused board must not turn `1,,0.5` into label 0 or slip a NaN
 * score into the accuracy.
 */
export function parseQualiaResult(line: string): QualiaResult {
  const text = line.trim();
  const fields = text.split(',');
  const fail = (why: string) => new TransportError(`the board answered ${JSON.stringify(text.slice(0, 80))}: ${why}; expected "i,label,score,us" (is it running Qualia evaluation firmware at the right baud rate?)`);
  if (fields.length !== 3 && fields.length !== 4) throw fail(`${fields.length} field${fields.length === 1 ? '' : 's'}`);
  const [index, label, score, us] = fields;
  if (!UNSIGNED.test(index)) throw fail(`the index ${JSON.stringify(index)} is not an unsigned integer`);
  if (!UNSIGNED.test(label)) throw fail(`the label ${JSON.stringify(label)} is not a class index`);
  if (!DECIMAL.test(score) || !Number.isFinite(Number(score))) throw fail(`the score ${JSON.stringify(score)} is not a finite number`);
  if (us !== undefined && !UNSIGNED.test(us)) throw fail(`the time ${JSON.stringify(us)} is not an unsigned integer of microseconds`);
  return { i: Number(index), label: Number(label), score: Number(score), us: us === undefined ? undefined : Number(us) };
}

/** A line longer than this is not Qualia's protocol (its lines are a few dozen characters). */
export const MAX_LINE_CHARS = 4096;

/** Line-oriented reader over a transport (cp437/ASCII; the protocol only uses ASCII). */
export class LineReader {
  private text = '';
  private lines: string[] = [];
  private waiter?: () => void;
  private closedReason?: string;
  private ended = false;
  private overlong = false;
  private readonly unsubscribe: () => void;

  constructor(transport: ByteTransport) {
    this.unsubscribe = transport.onData((chunk) => {
      for (const b of chunk) this.text += String.fromCharCode(b);
      let newline;
      while ((newline = this.text.indexOf('\n')) >= 0) {
        this.lines.push(this.text.slice(0, newline).replace(/\r$/, ''));
        this.text = this.text.slice(newline + 1);
      }
      // Endless bytes without a newline would grow without bound: that is a wrong baud rate or not Qualia.
      if (this.text.length > MAX_LINE_CHARS) {
        this.overlong = true;
        this.text = '';
      }
      this.wake();
    });
    transport.closed.then((c) => { this.ended = true; this.closedReason = c.reason; this.wake(); });
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  async next(timeoutMs: number, signal?: AbortSignal): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.shift();
      if (line !== undefined) return line;
      if (signal?.aborted) throw new CancelledError('the evaluation was cancelled');
      if (this.overlong) throw new TransportError(`the board sent more than ${MAX_LINE_CHARS} characters without a line break; check the baud rate and that it runs Qualia evaluation firmware`);
      if (this.ended) throw new TransportError(`the board connection closed${this.closedReason ? ` (${this.closedReason})` : ''}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new TransportError(`the board sent no complete line within ${Math.round(timeoutMs / 1000)} s; check the baud rate and that the firmware is running`);
      await new Promise<void>((resolve) => { const t = setTimeout(resolve, left); this.waiter = () => { clearTimeout(t); resolve(); }; });
    }
  }

  dispose(): void {
    this.unsubscribe();
  }
}

export interface QualiaEvaluationOptions {
  transport: ByteTransport;
  /** Float test vectors (already augmented and limited), flattened channels_last. */
  vectors: ArrayLike<number>[];
  /** Class index per vector. */
  labels: ArrayLike<number>;
  /** Seconds, as Qualia's evaluator `timeout` parameter (default 30). */
  timeout?: number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

export interface QualiaEvaluationReport {
  n: number;
  accuracy: number;
  /** Mean on-target latency in seconds (Qualia's avg_time), undefined when the firmware reports no time. */
  avg_time?: number;
  rows: QualiaResult[];
}

/** Runs Qualia's protocol exactly as its host evaluator does, including aborting on an ack mismatch. */
export async function evaluateQualiaBoard(options: QualiaEvaluationOptions): Promise<QualiaEvaluationReport> {
  const timeoutMs = (options.timeout ?? 30) * 1000;
  const reader = new LineReader(options.transport);
  try {
    for (;;) {
      const line = await reader.next(timeoutMs, options.signal);
      if (line.includes('READY')) break;
    }
    const rows: QualiaResult[] = [];
    for (let k = 0; k < options.vectors.length; k++) {
      const message = formatQualiaVector(options.vectors[k]);
      await options.transport.write(Uint8Array.from(message, (c) => c.charCodeAt(0)));
      const ack = await reader.next(timeoutMs, options.signal);
      if (!UNSIGNED.test(ack.trim()) || Number(ack.trim()) !== message.length) {
        throw new TransportError(`transmission error on vector ${k}: sent ${message.length} bytes, the board acknowledged ${JSON.stringify(ack)}; the vector may exceed the firmware's 16384-byte buffer or the baud rate is wrong`);
      }
      const row = parseQualiaResult(await reader.next(timeoutMs, options.signal));
      // Qualia firmware numbers its inferences since boot: one per vector, with no gaps and no restart.
      if (rows.length > 0 && row.i !== rows[rows.length - 1].i + 1) {
        throw new TransportError(`vector ${k}: the board numbered its answer ${row.i} after ${rows[rows.length - 1].i} (it restarted, or answers are missing); evaluate again`);
      }
      rows.push(row);
      options.onProgress?.(k + 1, options.vectors.length);
    }
    const n = rows.length;
    const correct = rows.filter((r, k) => r.label === options.labels[k]).length;
    const timed = rows.every((r) => r.us !== undefined);
    return { n, accuracy: n ? correct / n : 0, avg_time: timed && n ? rows.reduce((s, r) => s + (r.us ?? 0), 0) / n / 1e6 : undefined, rows };
  } finally {
    reader.dispose();
  }
}
